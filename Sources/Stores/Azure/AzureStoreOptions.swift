public import Core
public import YAML

/// The options of an `azure/keyvault` store, as plain values.
public struct AzureStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `vault_url` (or `endpoint`), e.g. `https://myvault.vault.azure.net`.
    public var vaultURL: String
    /// `prefix`.
    public var prefix: String = ""
    /// `stack_delimiter` (default `-`).
    public var stackDelimiter: String = "-"
    /// `api_version` (default `7.4`).
    public var apiVersion: String = "7.4"
    /// `without_authentication`: never send a token.
    public var withoutAuthentication: Bool = false
    /// `disable_challenge_resource_verification`: accept a challenge whose resource is not the vault's domain.
    public var disableChallengeResourceVerification: Bool = false
    /// `insecure_allow_credential_with_http`: allow sending a token over plain HTTP.
    public var insecureAllowCredentialWithHTTP: Bool = false
    /// `purge_on_delete`: after deleting, purge the soft-deleted secret (needs the purge permission).
    public var purgeOnDelete: Bool = false
    /// `ca_bundle`.
    public var caBundle: String?
    /// `timeout` seconds per attempt.
    public var timeout: Double?
    /// `max_attempts`.
    public var maxAttempts: Int?

    /// Creates options.
    public init(name: String, vaultURL: String) {
        self.name = name
        self.vaultURL = vaultURL
    }

    /// Reads `stores.<name>.options`.
    public static func parse(
        name: String, options: Node, environment: Environment
    ) throws(CloakError) -> AzureStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        var o = AzureStoreOptions(name: name, vaultURL: try r.required(["vault_url", "endpoint"]))
        o.prefix = r.text("prefix") ?? ""
        if let d = r.text("stack_delimiter") { o.stackDelimiter = d }
        if let v = r.text("api_version") { o.apiVersion = v }
        o.withoutAuthentication = try r.bool("without_authentication") ?? false
        o.disableChallengeResourceVerification = try r.bool("disable_challenge_resource_verification") ?? false
        o.insecureAllowCredentialWithHTTP = try r.bool("insecure_allow_credential_with_http") ?? false
        o.purgeOnDelete = try r.bool("purge_on_delete") ?? false
        o.caBundle = r.text("ca_bundle").map(environment.expandPath)
        o.timeout = try r.timeout()
        o.maxAttempts = try r.maxAttempts()
        return o
    }
}
