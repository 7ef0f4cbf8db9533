public import Core
import YAML

/// A `secrets.vars` declaration written as `ref: "ref+…"`: read-only, resolved through the reference registry.
/// Strings stay text; other values travel as JSON. Local backends (echo, file, envsubst, sops) are checked by
/// `list` without `--verify`.
public final class RefSecretBackend: SecretBackend, @unchecked Sendable {
    /// `ref:<reference>`: unique per reference, so `SecretService.resolveAll` (which groups by label) keeps them apart.
    public let label: String
    /// Whether the backend needs no credentials.
    public let isLocal: Bool
    private let reference: String
    private let registry: RefRegistry
    private let location: SourceLocation?

    /// The backend for one reference; an unknown backend or a malformed reference is an error at `location`.
    public init(reference: String, registry: RefRegistry, location: SourceLocation?) throws(CloakError) {
        guard let match = RefMatcher.matches(in: reference).first else {
            throw CloakError(.config, "ref: is not a reference (expected ref+BACKEND://…)", at: location)
        }
        let key: RefKey
        do { key = try RefKey(parsing: match.key) } catch { throw CloakError(error.code, error.message, at: location) }
        label = "ref:" + reference
        isLocal = (try? registry.provider(for: key.scheme))?.isLocal ?? false
        self.reference = reference
        self.registry = registry
        self.location = location
    }

    /// References do not depend on the scope: the same value wherever the declaration is used.
    public func supports(_ scope: SecretScope) -> Bool { true }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        let node = try RefResolver(registry: registry).resolve(text: reference, at: location)
        if node.isScalar && node.isStringScalar {
            var bytes = Array((node.scalarText ?? "").utf8)
            return .text(SecretBytes(consuming: &bytes))
        }
        var bytes = Array(JSON.serialize(node, options: JSONOptions(indent: nil, escapeHTML: false, trailingNewline: false)).utf8)
        return .json(SecretBytes(consuming: &bytes))
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        throw CloakError(.usage, "secret \"\(coordinate.key)\" is a ref+ reference: change the value at its source", at: location)
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        throw CloakError(.usage, "secret \"\(coordinate.key)\" is a ref+ reference: remove it at its source", at: location)
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        do {
            _ = try get(coordinate)
            return true
        } catch {
            if error.code == .notFound || error.code == .notInitialized || error.code == .io { return false }
            throw error
        }
    }
}
