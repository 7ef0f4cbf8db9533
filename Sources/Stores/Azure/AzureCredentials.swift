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
    private let caches = Mutex<[String: BearerTokenCache]>([:])

    /// Creates the provider.
    public init(environment: Environment, rest: RESTClient, now: @escaping @Sendable () -> Int) {
        self.environment = environment
        self.rest = rest
        self.now = now
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
                return try oauth(
                    url,
                    [
                        ("client_id", clientId), ("client_secret", secret), ("grant_type", "client_credentials"),
                        ("scope", challenge.scope),
                    ], what: "azure client secret token")
            }
            if let file = env.nonEmpty("AZURE_FEDERATED_TOKEN_FILE") {
                var raw = try FileSystem.readBytes(file)
                while let l = raw.last, l == 0x0A || l == 0x0D || l == 0x20 { raw.removeLast() }
                let assertion = String(decoding: raw, as: UTF8.self)
                for i in raw.indices { raw[i] = 0 }
                return try oauth(
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
        let what = "azure managed identity token"
        let probe = RESTClient(
            http: rest.http.with(policy: RetryPolicy(maxAttempts: 1)), timeouts: HTTPTimeouts(connect: 1, total: 5))
        let response: HTTPResponse
        do {
            response = try probe.send("GET", url, headers: [(name: "Metadata", value: "true")], what: what)
        } catch {
            throw CloakError(
                .config,
                "no Azure credentials: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or "
                    + "AZURE_FEDERATED_TOKEN_FILE); no managed identity endpoint answered"
            )
        }
        return try tokenResponse(response, what)
    }

    private func oauth(
        _ url: String, _ form: [(String, String)], what: String
    ) throws(CloakError) -> (SecretBytes, Int?) {
        var bytes = Array(URIEncoding.form(form).utf8)
        let response = try rest.send(
            "POST", url, headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
            body: SecretBytes(consuming: &bytes), what: what)
        return try tokenResponse(response, what)
    }

    private func tokenResponse(_ response: HTTPResponse, _ what: String) throws(CloakError) -> (SecretBytes, Int?) {
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        guard let token = doc.secret(["access_token"]), token.count > 0 else {
            throw CloakError(.backend, "\(what): the response has no access_token")
        }
        // expires_in is a number from AAD and a string from IMDS.
        let expiresIn = doc.int(["expires_in"]) ?? doc.plain(["expires_in"]).flatMap { Int($0) }
        return (token, expiresIn.map { now() + $0 })
    }
}
