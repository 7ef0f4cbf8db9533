public import Core

/// Gets (and caches) the Vault token of one store: a static token, or a login through AppRole, JWT or Kubernetes.
public final class VaultAuth: Sendable {
    let address: String
    let method: VaultAuthMethod
    let staticToken: SecretBytes?
    let namespace: String?
    let environment: Environment
    let rest: RESTClient
    let now: @Sendable () -> Int
    private let cache = BearerTokenCache()

    /// Creates the authenticator.
    public init(
        address: String, method: VaultAuthMethod, token: SecretBytes?, namespace: String?, environment: Environment,
        rest: RESTClient, now: @escaping @Sendable () -> Int
    ) {
        self.address = address
        self.method = method
        self.staticToken = token
        self.namespace = namespace
        self.environment = environment
        self.rest = rest
        self.now = now
    }

    /// The token to send as `X-Vault-Token`.
    public func token() throws(CloakError) -> SecretBytes {
        try cache.token(now: now()) { () throws(CloakError) -> (SecretBytes, Int?) in try fetch() }
    }

    /// Forgets a login token (after a 403 with an expired token).
    public func reset() { cache.clear() }

    private func fetch() throws(CloakError) -> (SecretBytes, Int?) {
        switch method {
        case .token:
            return (try Self.staticToken(option: staticToken, environment: environment), nil)
        case .appRole(let mount, let roleId, let secretId, let secretIdEnv):
            let sid: String
            if let secretId {
                sid = secretId
            } else if let name = secretIdEnv, let v = environment.nonEmpty(name) {
                sid = v
            } else {
                throw CloakError(.config, "vault approle login: the secret id variable \(secretIdEnv ?? "") is not set")
            }
            let w = JSONBodyWriter()
            w.beginObject()
            w.field("role_id", roleId)
            w.field("secret_id", sid)
            w.endObject()
            return try login(mount: mount, body: w.finish(), what: "vault approle login")
        case .jwt(let mount, let role, let jwtFile, let jwtEnv):
            let jwt = try Self.readJWT(file: jwtFile, env: jwtEnv, environment: environment, what: "vault jwt login")
            return try login(mount: mount, body: Self.roleBody(role: role, jwt: jwt), what: "vault jwt login")
        case .kubernetes(let mount, let role, let file):
            let jwt = try Self.readJWT(file: file, env: nil, environment: environment, what: "vault kubernetes login")
            return try login(mount: mount, body: Self.roleBody(role: role, jwt: jwt), what: "vault kubernetes login")
        case .userpass(let mount, let username, let passwordEnv, let passwordFile):
            let what = "vault userpass login"
            let password = try Self.readPassword(env: passwordEnv, file: passwordFile, environment: environment, what: what)
            let w = JSONBodyWriter()
            w.beginObject()
            w.key("password")
            w.string(password)
            w.endObject()
            return try login(mount: mount, body: w.finish(), what: what, user: username)
        }
    }

    private func login(
        mount: String, body: SecretBytes, what: String, user: String? = nil
    ) throws(CloakError) -> (SecretBytes, Int?) {
        var path = "auth/" + VaultPaths.trim(mount) + "/login"
        if let user { path += "/" + VaultPaths.trim(user) }
        let url = VaultPaths.url(address, path)
        var headers: [(name: String, value: String)] = []
        if let namespace { headers.append((name: "X-Vault-Namespace", value: namespace)) }
        let response = try rest.send("POST", url, headers: headers, body: body, what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        let token = doc.secret(["auth", "client_token"])
        let ttl = doc.int(["auth", "lease_duration"])
        doc.wipe()
        guard let token, token.count > 0 else {
            throw CloakError(.backend, "\(what): the response has no auth.client_token")
        }
        return (token, ttl.flatMap { $0 > 0 ? now() + $0 : nil })
    }

    static func roleBody(role: String, jwt: SecretBytes) -> SecretBytes {
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("role", role)
        w.key("jwt")
        w.string(jwt)
        w.endObject()
        return w.finish()
    }

    /// A JWT from a file (trimmed) or a variable.
    static func readJWT(
        file: String?, env: String?, environment: Environment, what: String
    ) throws(CloakError) -> SecretBytes {
        if let env, let v = environment.nonEmpty(env) {
            var b = Array(v.utf8)
            return SecretBytes(consuming: &b)
        }
        if let file { return try readTrimmed(file, what: what, noun: "token file") }
        throw CloakError(.config, "\(what): no JWT (the variable \(env ?? "") is not set)")
    }

    /// A userpass password from the variable `env` (which must be set when named) or the file `file` (trimmed).
    static func readPassword(
        env: String?, file: String?, environment: Environment, what: String
    ) throws(CloakError) -> SecretBytes {
        if let env {
            guard let v = environment.nonEmpty(env) else {
                throw CloakError(.config, "\(what): password_env names \(env), which is not set")
            }
            var b = Array(v.utf8)
            return SecretBytes(consuming: &b)
        }
        if let file { return try readTrimmed(file, what: what, noun: "password file") }
        throw CloakError(.config, "\(what): no password (set password_env or password_file)")
    }

    /// The contents of a credential file without trailing newlines or spaces; an empty file is an error.
    static func readTrimmed(_ file: String, what: String, noun: String) throws(CloakError) -> SecretBytes {
        var b = try FileSystem.readBytes(file)
        while let l = b.last, l == 0x0A || l == 0x0D || l == 0x20 { b.removeLast() }
        guard !b.isEmpty else { throw CloakError(.config, "\(what): the \(noun) \(file) is empty") }
        return SecretBytes(consuming: &b)
    }

    /// `token` option, else `VAULT_TOKEN`, else `~/.vault-token`.
    public static func staticToken(option: SecretBytes?, environment: Environment) throws(CloakError) -> SecretBytes {
        if let option { return option }
        if let t = environment.nonEmpty("VAULT_TOKEN") {
            var b = Array(t.utf8)
            return SecretBytes(consuming: &b)
        }
        let file = Path.join(environment.home, ".vault-token")
        if FileSystem.isFile(file) {
            var b = try FileSystem.readBytes(file)
            while let l = b.last, l == 0x0A || l == 0x0D || l == 0x20 { b.removeLast() }
            if !b.isEmpty { return SecretBytes(consuming: &b) }
        }
        throw CloakError(
            .config, "no Vault token: set options.token, VAULT_TOKEN or ~/.vault-token, or configure options.auth")
    }
}

/// URL building for Vault's HTTP API.
enum VaultPaths {
    /// `<address>/v1/<path>` with each path segment percent-encoded.
    static func url(_ address: String, _ path: String) -> String {
        var base = address
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/v1/" + URIEncoding.encode(path, keepSlash: true)
    }

    /// Without leading and trailing `/`.
    static func trim(_ s: String) -> String {
        var t = Substring(s)
        while t.hasPrefix("/") { t = t.dropFirst() }
        while t.hasSuffix("/") { t = t.dropLast() }
        return String(t)
    }
}
