public import Core
import Synchronization

/// Azure AD tokens for a scope, in the order of azure-identity's default chain: client secret
/// (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`), workload identity (`AZURE_FEDERATED_TOKEN_FILE`
/// with `AZURE_CLIENT_ID` and `AZURE_TENANT_ID`), then managed identity (IMDS, or `IMDS_ENDPOINT`). Tokens come
/// from `<authority>/<tenant>/oauth2/v2.0/token`; the authority is `AZURE_AUTHORITY_HOST`, else the challenge's,
/// else `https://login.microsoftonline.com`. Tokens are cached per scope until a minute before they expire.
public final class AzureCredentials: Sendable {
    let environment: Environment
    let rest: RESTClient
    let now: @Sendable () -> Int
    let endpoint: OAuthTokenEndpoint
    private let caches = Mutex<[String: BearerTokenCache]>([:])

    /// Creates the provider.
    public init(environment: Environment, rest: RESTClient, now: @escaping @Sendable () -> Int) {
        self.environment = environment
        self.rest = rest
        self.now = now
        self.endpoint = OAuthTokenEndpoint(rest: rest, now: now)
    }

    /// A token for `challenge.scope`.
    public func token(for challenge: AzureChallenge) throws(CloakError) -> SecretBytes {
        let cache = caches.withLock { map in
            if let c = map[challenge.scope] { return c }
            let c = BearerTokenCache()
            map[challenge.scope] = c
            return c
        }
        return try cache.token(now: now()) { () throws(CloakError) -> (SecretBytes, Int?) in try fetch(challenge) }
    }

    /// Forgets every token.
    public func reset() { caches.withLock { $0 = [:] } }

    private func fetch(_ challenge: AzureChallenge) throws(CloakError) -> (SecretBytes, Int?) {
        let env = environment
        let tenant = env.nonEmpty("AZURE_TENANT_ID") ?? challenge.tenant
        let authority: String = {
            var a = env.nonEmpty("AZURE_AUTHORITY_HOST") ?? challenge.authorityHost
            if a == "?" || a.isEmpty { a = "https://login.microsoftonline.com" }
            while a.hasSuffix("/") { a.removeLast() }
            return a
        }()
        if let clientId = env.nonEmpty("AZURE_CLIENT_ID"), let tenant {
            let url = "\(authority)/\(tenant)/oauth2/v2.0/token"
            if let secret = env.nonEmpty("AZURE_CLIENT_SECRET") {
                return try endpoint.grant(
                    url,
                    [
                        ("client_id", clientId), ("client_secret", secret), ("grant_type", "client_credentials"),
                        ("scope", challenge.scope),
                    ], what: "azure client secret token")
            }
            if let file = env.nonEmpty("AZURE_FEDERATED_TOKEN_FILE") {
                var raw = try OAuthTokenEndpoint.readTokenFile(file)
                let assertion = String(decoding: raw, as: UTF8.self)
                for i in raw.indices { raw[i] = 0 }
                return try endpoint.grant(
                    url,
                    [
                        ("client_id", clientId), ("client_assertion", assertion),
                        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                        ("grant_type", "client_credentials"), ("scope", challenge.scope),
                    ], what: "azure workload identity token")
            }
        }
        return try managedIdentity(challenge)
    }

    private func managedIdentity(_ challenge: AzureChallenge) throws(CloakError) -> (SecretBytes, Int?) {
        var base = environment.nonEmpty("IMDS_ENDPOINT") ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        var url =
            base + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
            + URIEncoding.encode(
                challenge.resource.isEmpty ? String(challenge.scope.dropLast("/.default".count)) : challenge.resource)
        if let id = environment.nonEmpty("AZURE_CLIENT_ID") { url += "&client_id=" + URIEncoding.encode(id) }
        return try endpoint.metadata(
            url, header: (name: "Metadata", value: "true"), connect: 1, total: 5, what: "azure managed identity token",
            unreachable: CloakError(
                .config,
                "no Azure credentials: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or "
                    + "AZURE_FEDERATED_TOKEN_FILE); no managed identity endpoint answered"
            ))
    }
}
