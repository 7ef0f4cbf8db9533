public import Core
public import YAML

/// An atmos.yaml `auth.identities` entry reduced to what a cloud client needs: a shared-config profile to start
/// from and the roles to assume on top of it, in order (the `via` chain flattened).
public struct AuthIdentity: Sendable, Equatable {
    /// The identity's name.
    public var name: String
    /// Profile for the base credentials (`aws/user` and `aws/profile` kinds), if any.
    public var profile: String?
    /// Roles to assume, base first (`aws/assume-role` kinds along the `via` chain).
    public var roles: [String]

    /// Creates an identity.
    public init(name: String, profile: String?, roles: [String]) {
        self.name = name
        self.profile = profile
        self.roles = roles
    }

    /// Resolves `name` (or, when nil, the identity marked `default: true`) in `auth.identities`. Returns nil when no
    /// identity applies. Unknown names, unsupported kinds and `via` cycles are errors naming the identity.
    public static func resolve(_ name: String?, auth: Node?) throws(CloakError) -> AuthIdentity? {
        let identities = auth?["identities"]
        var chosen = name
        if chosen == nil {
            chosen = identities?.pairs?.first(where: { $0.value["default"]?.boolValue == true })?.key.scalarText
        }
        guard let start = chosen else { return nil }
        var result = AuthIdentity(name: start, profile: nil, roles: [])
        var current: String? = start
        var seen: [String] = []
        while let id = current {
            if seen.contains(id) {
                throw CloakError(.config, "auth.identities: \"\(id)\" is part of a via cycle (\((seen + [id]).joined(separator: " -> ")))")
            }
            seen.append(id)
            guard let node = identities?[id] else {
                let known = identities?.keys ?? []
                throw CloakError(.config, "identity \"\(id)\" is not defined under auth.identities in atmos.yaml\(Suggestion.hint(for: id, in: known))")
            }
            let kind = node["kind"]?.scalarText ?? ""
            switch kind {
            case "aws/assume-role":
                guard let role = node["principal"]?["assume_role"]?.scalarText ?? node["role_arn"]?.scalarText
                    ?? node["principal"]?["role_arn"]?.scalarText
                else {
                    throw CloakError(.config, "identity \"\(id)\" (aws/assume-role) needs principal.assume_role", at: node.location)
                }
                result.roles.insert(role, at: 0)
            case "aws/user", "aws/profile":
                result.profile = node["profile"]?.scalarText ?? node["principal"]?["profile"]?.scalarText ?? result.profile
            default:
                throw CloakError(
                    .config, "identity \"\(id)\" has kind \"\(kind)\", which cloak does not support yet (aws/assume-role, aws/user, aws/profile)",
                    at: node.location)
            }
            current = node["via"]?["identity"]?.scalarText
        }
        return result
    }
}
