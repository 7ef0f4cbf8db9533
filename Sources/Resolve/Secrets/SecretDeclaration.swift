public import Core
public import YAML

/// One entry of a component's merged `secrets.vars`.
public struct SecretDeclaration: Sendable {
    /// Where the value is kept.
    public enum Backend: Sendable, Equatable {
        /// A configured secret store (`store: NAME`).
        case store(String)
        /// A SOPS provider (`sops: NAME`).
        case sops(String)
        /// A vals reference (`ref: "ref+backend://…"`), resolved through the reference registry.
        case ref(String)
        /// Neither was given.
        case none
    }

    /// The declared name (also the environment variable name).
    public var name: String
    /// `description`.
    public var description: String?
    /// `store:` or `sops:`.
    public var backend: Backend
    /// `reference` (1Password), else nil.
    public var reference: String?
    /// `required: true`.
    public var required: Bool
    /// The stamped scope.
    public var scope: SecretScope
    /// `as: file`: hand the value to the child as a memory-backed file.
    public var asFile: Bool
    /// Where the declaration is written.
    public var location: SourceLocation?

    /// The key used in the backend: `reference` when set, else the name.
    public var key: String { reference ?? name }

    /// `store:NAME`, `sops:NAME` or `(none)`, as `list` prints it.
    public var providerLabel: String {
        switch backend {
        case .store(let n): "store:\(n)"
        case .sops(let n): "sops:\(n)"
        case .ref(let r): "ref:" + (r.split(separator: ":", maxSplits: 1).first.map { String($0.dropFirst($0.hasPrefix("secretref+") ? 10 : 4)) } ?? "")
        case .none: "(none)"
        }
    }

    /// The coordinate of this declaration for component `component` in stack `stack` (§1.4).
    public func coordinate(stack: String, component: String) -> SecretCoordinate {
        switch scope {
        case .instance: SecretCoordinate(stack: stack, component: component, key: key)
        case .stack: SecretCoordinate(stack: stack, component: "", key: key)
        case .global: SecretCoordinate(stack: "", component: "", key: key)
        }
    }

    /// Parses the merged `secrets.vars` of a component, sorted by name. A declaration naming both `store` and `sops`,
    /// or an empty name, is an error naming it.
    public static func parseAll(_ secrets: Node) throws(CloakError) -> [SecretDeclaration] {
        guard let vars = secrets["vars"], !vars.isNull else { return [] }
        guard let pairs = vars.pairs else {
            throw CloakError(.config, "secrets.vars must be a mapping of NAME: {store|sops: …}", at: vars.location)
        }
        var out: [SecretDeclaration] = []
        for pair in pairs {
            guard let name = pair.key.scalarText, !name.trimmingWhitespace().isEmpty else {
                throw CloakError(.config, "secret name cannot be empty", at: pair.key.location)
            }
            out.append(try parse(name: name, pair.value))
        }
        return out.sorted { $0.name < $1.name }
    }

    static func parse(name: String, _ node: Node) throws(CloakError) -> SecretDeclaration {
        var decl = SecretDeclaration(
            name: name, description: nil, backend: .none, reference: nil, required: false, scope: .instance,
            asFile: false, location: node.location)
        guard node.isMapping else { return decl }
        let store = nonEmpty(node["store"])
        let sops = nonEmpty(node["sops"])
        let ref = nonEmpty(node["ref"])
        if store != nil && sops != nil {
            throw CloakError(
                .config, "secret \"\(name)\" declares both store: and sops:; keep exactly one backend", at: node.location)
        }
        if ref != nil && (store != nil || sops != nil) {
            throw CloakError(
                .config, "secret \"\(name)\" declares ref: together with store: or sops:; keep exactly one backend", at: node.location)
        }
        if let ref, !RefMatcher.containsReference(ref) {
            throw CloakError(.config, "secret \"\(name)\": ref: must be a reference like ref+sops://FILE#/key", at: node["ref"]?.location)
        }
        if let store { decl.backend = .store(store) } else if let sops { decl.backend = .sops(sops) } else if let ref { decl.backend = .ref(ref) }
        decl.description = nonEmpty(node["description"])
        decl.reference = nonEmpty(node["reference"])
        decl.required = node["required"]?.boolValue ?? false
        if let scope = nonEmpty(node["scope"]) { decl.scope = SecretScope(rawValue: scope) ?? .instance }
        if let mode = nonEmpty(node["as"]) {
            guard mode == "file" || mode == "env" else {
                throw CloakError(.config, "secret \"\(name)\": as: must be env or file", at: node["as"]?.location)
            }
            decl.asFile = mode == "file"
        }
        return decl
    }

    private static func nonEmpty(_ node: Node?) -> String? {
        guard let node, !node.isNull, let text = node.scalarText, !text.isEmpty else { return nil }
        return text
    }
}
