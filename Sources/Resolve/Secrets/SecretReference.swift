public import Core
public import YAML

/// A parsed `!secret NAME [| path EXPR] [| default VALUE]`.
public struct SecretReference: Sendable, Equatable {
    /// The declared secret's name.
    public var name: String
    /// A query applied to the value (`.password`).
    public var path: String?
    /// Used, unmasked, when the secret cannot be resolved.
    public var defaultValue: String?

    /// Parses the text after the tag (Atmos rules: split on `|`, each modifier is `keyword value`, quotes trimmed).
    public init(parsing text: String) throws(CloakError) {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        let name = SecretReference.unquote(parts.first ?? "")
        guard !name.isEmpty else { throw CloakError(.config, "secret name cannot be empty") }
        self.name = name
        for part in parts.dropFirst() {
            guard let space = part.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw CloakError(.config, "invalid !secret arguments: invalid modifier \"\(part)\"")
            }
            let keyword = SecretReference.unquote(String(part[..<space]))
            let value = SecretReference.unquote(String(part[space...]).trimmingWhitespace())
            switch keyword {
            case "path": path = value
            case "default": defaultValue = value
            default: throw CloakError(.config, "invalid !secret arguments: unknown modifier \"\(part)\"")
            }
        }
    }

    private static func unquote(_ s: String) -> String {
        var t = Substring(s)
        while let f = t.first, f == "\"" || f == "'" { t = t.dropFirst() }
        while let l = t.last, l == "\"" || l == "'" { t = t.dropLast() }
        return String(t)
    }
}

/// Replaces every `!secret` node of a tree with its resolved value.
public enum SecretReferenceResolver {
    /// Resolves `!secret` nodes under `node`. `lookup` fetches a declared secret (its errors already name it);
    /// `onValue` sees every value used, so it can be masked. A failed lookup with a `default` uses the default.
    public static func resolve(
        _ node: Node, lookup: (String) throws(CloakError) -> SecretValue, onValue: (SecretValue) -> Void
    ) throws(CloakError) -> Node {
        try node.replacing { (candidate) throws(CloakError) -> Node? in
            candidate.tag == "!secret" ? try resolveOne(candidate, lookup: lookup, onValue: onValue) : nil
        }
    }

    private static func resolveOne(
        _ node: Node, lookup: (String) throws(CloakError) -> SecretValue, onValue: (SecretValue) -> Void
    ) throws(CloakError) -> Node {
        let reference: SecretReference
        do { reference = try SecretReference(parsing: node.scalarText ?? "") } catch {
            throw CloakError(error.code, error.message, at: node.location)
        }
        let value: SecretValue
        do {
            value = try lookup(reference.name)
        } catch {
            if let fallback = reference.defaultValue { return Node(.scalar(fallback, .doubleQuoted), location: node.location) }
            var message = error.message
            if message.hasPrefix("secret is not declared") { message += " (declare it under the component's secrets.vars)" }
            throw CloakError(error.code, message, at: node.location)
        }
        onValue(value)
        var resolved = try valueNode(value, location: node.location)
        if let path = reference.path {
            let query: NodeQuery
            do { query = try NodeQuery(path) } catch { throw CloakError(.config, error.message, at: node.location) }
            resolved = query.evaluate(resolved) ?? .null
        }
        return resolved
    }

    /// A value as a document node: text becomes a string, JSON is parsed (its text never appears in errors).
    public static func valueNode(_ value: SecretValue, location: SourceLocation?) throws(CloakError) -> Node {
        switch value {
        case .text(let bytes):
            return Node(.scalar(bytes.unsafeString(), .doubleQuoted), location: location)
        case .json(let bytes):
            do {
                var node = try JSON.parse(bytes.unsafeString(), file: "secret value")
                node.location = location
                return node
            } catch {
                throw CloakError(.decrypt, "secret value is not valid JSON", at: location)
            }
        }
    }

    /// Whether the tree contains a `!secret` node.
    public static func containsSecrets(_ node: Node) -> Bool {
        if node.tag == "!secret" { return true }
        switch node.content {
        case .scalar: return false
        case .sequence(let items): return items.contains(where: containsSecrets)
        case .mapping(let pairs): return pairs.contains { containsSecrets($0.value) }
        }
    }
}
