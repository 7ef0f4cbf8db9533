import Core
import YAML

/// Stamps each `secrets.vars.NAME` declaration with the scope its position implies (Atmos §1.4): the stack's
/// top-level `secrets:` → `stack`; base components, the component and overrides → `instance`. `global` is kept
/// anywhere; any other explicit scope that differs from the position is an error.
enum SecretScopeStamp {
    static let validScopes: Set<String> = ["instance", "stack", "global"]

    static func stamp(_ secrets: Node?, position: String) throws(CloakError) -> Node? {
        guard var secrets, secrets.isMapping else { return secrets }
        guard var vars = secrets["vars"], case .mapping(var pairs) = vars.content else { return secrets }
        for i in pairs.indices {
            var decl = pairs[i].value
            guard decl.isMapping else { continue }
            let name = pairs[i].key.scalarText ?? "?"
            if let scopeNode = decl["scope"], !scopeNode.isNull {
                let scope = scopeNode.scalarText ?? ""
                guard validScopes.contains(scope) else {
                    throw CloakError(
                        .config, "invalid component secrets section: secret \"\(name)\" has scope \"\(scope)\" (use instance, stack or global)",
                        at: scopeNode.location)
                }
                if scope != "global" && scope != position {
                    throw CloakError(
                        .config,
                        "invalid component secrets section: secret scope conflicts with declaration position: secret \"\(name)\" declares scope \"\(scope)\" but its position implies \"\(position)\"",
                        at: scopeNode.location)
                }
            } else {
                decl["scope"] = Node(.scalar(position, .plain), location: decl.location)
            }
            pairs[i].value = decl
        }
        vars.content = .mapping(pairs)
        secrets["vars"] = vars
        return secrets
    }
}
