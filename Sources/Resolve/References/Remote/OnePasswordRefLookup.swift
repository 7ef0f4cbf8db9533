public import Core

/// How one `ref+onepasswordconnect://VAULT/ITEM#/[SECTION.]FIELD` reference is read (vals's 1Password Connect
/// provider): the first two path segments name the vault and the item (by name or id); the item's fields form the
/// map the fragment walks (see the Connect client's `fieldMap` for the keys).
public struct OnePasswordRefLookup: Sendable, Equatable {
    /// Vault name or id.
    public var vault: String
    /// Item title or id.
    public var item: String

    /// Interprets a provider path; `scheme` names the backend in errors.
    public init(path: String, scheme: String = "onepasswordconnect") throws(CloakError) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw CloakError(.config, "\(scheme): invalid URI \"\(path)\": vault or item missing (write VAULT/ITEM#/FIELD)")
        }
        vault = parts[0]
        item = parts[1]
    }
}
