public import Core

/// A parsed secret reference `op://<vault>/<item>[/<section>]/<field>`. Without a field the item's `credential`
/// field (the concealed field of an API Credential item) is meant.
public struct OnePasswordReference: Sendable, Equatable, CustomStringConvertible {
    /// Vault name or id.
    public var vault: String
    /// Item title or id.
    public var item: String
    /// Section label, when given.
    public var section: String?
    /// Field label or id.
    public var field: String

    /// The reference as text.
    public var description: String {
        "op://\(vault)/\(item)/" + (section.map { $0 + "/" } ?? "") + field
    }

    /// Parses a rendered key: `op://…` as is; anything else gets `op://<vault>/` prepended when `defaultVault` is
    /// set, and is an error otherwise.
    public static func parse(
        _ key: String, defaultVault: String?, store: String
    ) throws(CloakError) -> OnePasswordReference {
        var text = key
        if !text.hasPrefix("op://") {
            guard let v = defaultVault, !v.isEmpty else {
                throw CloakError(
                    .config,
                    "store \"\(store)\": reference \"\(key)\" is not an op:// reference and options.vault is not set")
            }
            text = "op://\(v)/\(key)"
        }
        let parts = text.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.count <= 4, !parts.contains(where: \.isEmpty) else {
            throw CloakError(.config, "store \"\(store)\": \"\(text)\" is not op://vault/item[/section]/field")
        }
        switch parts.count {
        case 2: return OnePasswordReference(vault: parts[0], item: parts[1], section: nil, field: "credential")
        case 3: return OnePasswordReference(vault: parts[0], item: parts[1], section: nil, field: parts[2])
        default: return OnePasswordReference(vault: parts[0], item: parts[1], section: parts[2], field: parts[3])
        }
    }
}
