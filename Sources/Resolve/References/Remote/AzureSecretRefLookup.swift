public import Core

/// How one `ref+azurekeyvault://VAULT/SECRET[/VERSION][#/frag]` reference is read (C.6): two or three segments
/// after dropping a trailing `/`; the vault URL is `https://VAULT.vault.azure.net`, or `https://VAULT` when VAULT
/// holds a `.` (a full host name, with an optional port).
public struct AzureSecretRefLookup: Sendable, Equatable {
    /// The vault's URL.
    public var vaultURL: String
    /// The secret name.
    public var secret: String
    /// The version, nil for the latest.
    public var version: String?

    /// Interprets a provider path.
    public init(path: String) throws(CloakError) {
        var p = Substring(path)
        while p.hasSuffix("/") { p = p.dropLast() }
        let parts = p.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts.contains(where: \.isEmpty) else {
            throw CloakError(.config, "azurekeyvault: invalid secret specifier \"\(p)\" (write VAULT/SECRET or VAULT/SECRET/VERSION)")
        }
        vaultURL = parts[0].contains(".") ? "https://" + parts[0] : "https://\(parts[0]).vault.azure.net"
        secret = parts[1]
        version = parts.count == 3 ? parts[2] : nil
    }
}
