public import Core
import Sops

/// Application Default Credentials for Google APIs, tried in order: `GOOGLE_OAUTH_ACCESS_TOKEN`; the store's
/// `credentials` option, `GOOGLE_APPLICATION_CREDENTIALS` or gcloud's `application_default_credentials.json`
/// (`service_account` → an RS256-signed JWT exchanged at `token_uri`; `authorized_user` → a refresh-token grant;
/// `external_account` → an STS token exchange of a subject token file, optionally followed by service-account
/// impersonation); else the metadata server. Tokens are cached until a minute before they expire.
public final class GCPCredentials: Sendable {
    /// The OAuth scope requested.
    public static let scope = "https://www.googleapis.com/auth/cloud-platform"
    let option: String?
    let environment: Environment
    let rest: RESTClient
    let now: @Sendable () -> Int
    let endpoint: OAuthTokenEndpoint
    private let cache = BearerTokenCache()

    /// Creates the provider.
    public init(
        credentials option: String?, environment: Environment, rest: RESTClient, now: @escaping @Sendable () -> Int
    ) {
        self.option = option
        self.environment = environment
        self.rest = rest
        self.now = now
        self.endpoint = OAuthTokenEndpoint(rest: rest, now: now)
    }

    /// A valid access token.
    public func token() throws(CloakError) -> SecretBytes {
        try cache.token(now: now()) { () throws(CloakError) -> (SecretBytes, Int?) in try fetch() }
    }

    /// Forgets the cached token.
    public func reset() { cache.clear() }

    private func fetch() throws(CloakError) -> (SecretBytes, Int?) {
        if let t = environment.nonEmpty("GOOGLE_OAUTH_ACCESS_TOKEN") {
            var b = Array(t.utf8)
            return (SecretBytes(consuming: &b), nil)
        }
        if let json = try credentialsJSON() {
            let doc = try JSONDocument.parse(json, "gcp credentials")
            defer { doc.wipe() }
            switch doc.plain(["type"]) ?? "" {
            case "service_account": return try serviceAccount(doc)
            case "authorized_user": return try authorizedUser(doc)
            case "external_account": return try externalAccount(doc)
            case let other:
                throw CloakError(
                    .config,
                    "gcp credentials: type \"\(other)\" is not supported (service_account, authorized_user, "
                        + "external_account)"
                )
            }
        }
        return try metadataServer()
    }

    /// The credentials JSON: the option (a path, or inline JSON), the variable, or gcloud's default file.
    func credentialsJSON() throws(CloakError) -> SecretBytes? {
        if let option {
            if option.hasPrefix("{") {
                var b = Array(option.utf8)
                return SecretBytes(consuming: &b)
            }
            var b = try FileSystem.readBytes(environment.expandPath(option))
            return SecretBytes(consuming: &b)
        }
        if let path = environment.nonEmpty("GOOGLE_APPLICATION_CREDENTIALS") {
            var b = try FileSystem.readBytes(path)
            return SecretBytes(consuming: &b)
        }
        let gcloud = Path.join(
            environment.nonEmpty("CLOUDSDK_CONFIG") ?? Path.join(environment.configHome, "gcloud"),
            "application_default_credentials.json")
        if FileSystem.isFile(gcloud) {
            var b = try FileSystem.readBytes(gcloud)
            return SecretBytes(consuming: &b)
        }
        return nil
    }

    private func serviceAccount(_ doc: JSONDocument) throws(CloakError) -> (SecretBytes, Int?) {
        guard let email = doc.plain(["client_email"]), let key = doc.secret(["private_key"]) else {
            throw CloakError(.config, "gcp service account credentials need client_email and private_key")
        }
        let tokenURI = doc.plain(["token_uri"]) ?? "https://oauth2.googleapis.com/token"
        let iat = now()
        var header = "{\"alg\":\"RS256\",\"typ\":\"JWT\""
        if let kid = doc.plain(["private_key_id"]) { header += ",\"kid\":\(Self.quote(kid))" }
        header += "}"
        let claims =
            "{\"iss\":\(Self.quote(email)),\"scope\":\(Self.quote(Self.scope)),"
            + "\"aud\":\(Self.quote(tokenURI)),\"iat\":\(iat),\"exp\":\(iat + 3600)}"
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = try RSASigner.signRS256(pemPrivateKey: key, message: Array(input.utf8))
        let jwt = input + "." + Base64URL.encode(signature)
        return try endpoint.grant(
            tokenURI, [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", jwt)],
            what: "gcp service account token (\(email))")
    }

    private func authorizedUser(_ doc: JSONDocument) throws(CloakError) -> (SecretBytes, Int?) {
        guard let id = doc.plain(["client_id"]), let secret = doc.plain(["client_secret"]),
            let refresh = doc.plain(["refresh_token"])
        else {
            throw CloakError(.config, "gcp authorized_user credentials need client_id, client_secret and refresh_token")
        }
        let uri = doc.plain(["token_uri"]) ?? "https://oauth2.googleapis.com/token"
        return try endpoint.grant(
            uri,
            [
                ("grant_type", "refresh_token"), ("client_id", id), ("client_secret", secret),
                ("refresh_token", refresh),
            ],
            what: "gcp refresh token grant")
    }

    private func externalAccount(_ doc: JSONDocument) throws(CloakError) -> (SecretBytes, Int?) {
        guard let audience = doc.plain(["audience"]), let tokenType = doc.plain(["subject_token_type"]) else {
            throw CloakError(.config, "gcp external_account credentials need audience and subject_token_type")
        }
        let stsURL = doc.plain(["token_url"]) ?? "https://sts.googleapis.com/v1/token"
        guard let file = doc.plain(["credential_source", "file"]) else {
            throw CloakError(.config, "gcp external_account credentials: only credential_source.file is supported")
        }
        var raw = try OAuthTokenEndpoint.readTokenFile(file)
        var subject = String(decoding: raw, as: UTF8.self)
        if doc.plain(["credential_source", "format", "type"]) == "json" {
            let field = doc.plain(["credential_source", "format", "subject_token_field_name"]) ?? "access_token"
            let inner = try JSONDocument.parse(SecretBytes(consuming: &raw), "gcp subject token file \(file)")
            guard let v = inner.plain([field]) else {
                throw CloakError(.config, "gcp subject token file \(file) has no \(field)")
            }
            subject = v
            inner.wipe()
        }
        let (sts, expires) = try endpoint.grant(
            stsURL,
            [
                ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("audience", audience),
                ("scope", Self.scope), ("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"),
                ("subject_token_type", tokenType), ("subject_token", subject),
            ], what: "gcp sts token exchange")
        guard let impersonate = doc.plain(["service_account_impersonation_url"]) else { return (sts, expires) }
        let what = "gcp service account impersonation"
        let body = "{\"scope\":[\(Self.quote(Self.scope))]}"
        var bytes = Array(body.utf8)
        let response = try rest.send(
            "POST", impersonate, headers: [sts.bearerHeader()], body: SecretBytes(consuming: &bytes), what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let out = try RESTClient.parse(response, what)
        defer { out.wipe() }
        guard let token = out.secret(["accessToken"]) else {
            throw CloakError(.backend, "\(what): the response has no accessToken")
        }
        return (token, now() + 3000)
    }

    private func metadataServer() throws(CloakError) -> (SecretBytes, Int?) {
        let host = environment.nonEmpty("GCE_METADATA_HOST") ?? "metadata.google.internal"
        return try endpoint.metadata(
            "http://\(host)/computeMetadata/v1/instance/service-accounts/default/token",
            header: (name: "Metadata-Flavor", value: "Google"), connect: 1, total: 3, what: "gcp metadata server token",
            unreachable: CloakError(
                .config,
                "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS, options.credentials or "
                    + "GOOGLE_OAUTH_ACCESS_TOKEN (the metadata server is not reachable)"
            ))
    }

    static func quote(_ s: String) -> String {
        let w = JSONBodyWriter()
        w.string(s)
        return w.finish().unsafeString()
    }
}
