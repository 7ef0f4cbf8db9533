public import Core

/// The OAuth 2.0 token calls the Azure and GCP credential providers share: a form-encoded grant POSTed to a token
/// endpoint, a metadata-server GET tried once with short limits, and the `access_token`/`expires_in` response.
public struct OAuthTokenEndpoint: Sendable {
    let rest: RESTClient
    let now: @Sendable () -> Int

    /// Creates the helper over a provider's client and clock.
    public init(rest: RESTClient, now: @escaping @Sendable () -> Int) {
        self.rest = rest
        self.now = now
    }

    /// POSTs `form` (`application/x-www-form-urlencoded`, sent from guarded memory) and reads the token.
    public func grant(_ url: String, _ form: [(String, String)], what: String) throws(CloakError) -> (SecretBytes, Int?) {
        var bytes = Array(URIEncoding.form(form).utf8)
        let response = try rest.send(
            "POST", url, headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
            body: SecretBytes(consuming: &bytes), what: what)
        return try token(response, what)
    }

    /// GETs a metadata-server token once (no retries, `connect`/`total` seconds); a transport failure becomes
    /// `unreachable`, since there is no metadata server off the cloud.
    public func metadata(
        _ url: String, header: (name: String, value: String), connect: Double, total: Double, what: String,
        unreachable: CloakError
    ) throws(CloakError) -> (SecretBytes, Int?) {
        let probe = RESTClient(
            http: rest.http.with(policy: RetryPolicy(maxAttempts: 1)), timeouts: HTTPTimeouts(connect: connect, total: total))
        let response: HTTPResponse
        do {
            response = try probe.send("GET", url, headers: [header], what: what)
        } catch {
            throw unreachable
        }
        return try token(response, what)
    }

    /// The access token and its expiry (seconds since the epoch) from a token response; `expires_in` is a number
    /// from most endpoints and a string from Azure's IMDS.
    public func token(_ response: HTTPResponse, _ what: String) throws(CloakError) -> (SecretBytes, Int?) {
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        guard let token = doc.secret(["access_token"]), token.count > 0 else {
            throw CloakError(.backend, "\(what): the response has no access_token")
        }
        let expiresIn = doc.int(["expires_in"]) ?? doc.plain(["expires_in"]).flatMap { Int($0) }
        return (token, expiresIn.map { now() + $0 })
    }

    /// A token file's bytes without trailing whitespace (Kubernetes projected tokens end in a newline).
    public static func readTokenFile(_ path: String) throws(CloakError) -> [UInt8] {
        var raw = try FileSystem.readBytes(path)
        while let l = raw.last, l == 0x0A || l == 0x0D || l == 0x20 { raw.removeLast() }
        return raw
    }
}
