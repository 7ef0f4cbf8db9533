public import Core
public import YAML

/// How a Vault store logs in.
public enum VaultAuthMethod: Sendable, Equatable {
    /// A token: `options.token`, else `VAULT_TOKEN`, else `~/.vault-token`.
    case token
    /// AppRole: `POST /v1/auth/<mount>/login {role_id, secret_id}`.
    case appRole(mount: String, roleId: String, secretId: String?, secretIdEnv: String?)
    /// JWT/OIDC (the CI path): `POST /v1/auth/<mount>/login {role, jwt}` with the JWT from a file or variable.
    case jwt(mount: String, role: String, jwtFile: String?, jwtEnv: String?)
    /// Kubernetes: `POST /v1/auth/<mount>/login {role, jwt}` with the pod's service-account token.
    case kubernetes(mount: String, role: String, tokenFile: String)
    /// Userpass: `POST /v1/auth/<mount>/login/<username> {password}` with the password from a variable or a file
    /// (read at login, never kept in the options).
    case userpass(mount: String, username: String, passwordEnv: String?, passwordFile: String?)
}

/// The options of a `hashicorp/vault` store (KV v2), as plain values.
public struct VaultStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `url`/`address`, else `VAULT_ADDR` (e.g. `https://vault.example.com:8200`).
    public var address: String
    /// `mount` (or legacy `path`): the KV v2 mount, e.g. `secret`.
    public var mount: String
    /// `prefix`: the first path segment (may be empty).
    public var prefix: String = ""
    /// `stack_delimiter` (default `/`: the stack is kept whole).
    public var stackDelimiter: String = "/"
    /// `namespace` (or `VAULT_NAMESPACE`): sent as `X-Vault-Namespace`.
    public var namespace: String?
    /// `ca_bundle` (or `VAULT_CACERT`).
    public var caBundle: String?
    /// `VAULT_SKIP_VERIFY` / `skip_verify`.
    public var skipVerify: Bool = false
    /// `token` option.
    public var token: SecretBytes?
    /// `auth:`.
    public var auth: VaultAuthMethod = .token
    /// `timeout` seconds per attempt.
    public var timeout: Double?
    /// `max_attempts`.
    public var maxAttempts: Int?

    /// Creates options.
    public init(name: String, address: String, mount: String) {
        self.name = name
        self.address = address
        self.mount = mount
    }

    /// Reads `stores.<name>.options` (and the `VAULT_*` variables).
    public static func parse(
        name: String, options: Node, environment: Environment
    ) throws(CloakError) -> VaultStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        guard let address = r.text(["url", "address"]) ?? environment.nonEmpty("VAULT_ADDR") else {
            throw r.error("url (or address, or VAULT_ADDR) is required")
        }
        let mount = try r.required(["mount", "path"])
        var o = VaultStoreOptions(name: name, address: address, mount: mount)
        o.prefix = r.text("prefix") ?? ""
        if let d = r.text("stack_delimiter") { o.stackDelimiter = d }
        o.namespace = r.text("namespace") ?? environment.nonEmpty("VAULT_NAMESPACE")
        o.caBundle = r.text("ca_bundle").map(environment.expandPath) ?? environment.nonEmpty("VAULT_CACERT")
        if let skip = try r.bool("skip_verify") {
            o.skipVerify = skip
        } else if let v = environment.nonEmpty("VAULT_SKIP_VERIFY") {
            o.skipVerify = v == "1" || v.lowercased() == "true"
        }
        if let t = r.text("token") {
            var bytes = Array(t.utf8)
            o.token = SecretBytes(consuming: &bytes)
        }
        o.timeout = try r.timeout()
        o.maxAttempts = try r.maxAttempts()
        if let a = r.nested("auth") { o.auth = try parseAuth(a, environment: environment) }
        return o
    }

    static func parseAuth(_ a: StoreOptionReader, environment: Environment) throws(CloakError) -> VaultAuthMethod {
        let method = a.text("method") ?? "token"
        switch method {
        case "token":
            return .token
        case "approle":
            let roleId = try a.required(["role_id"])
            let secretId = a.text("secret_id")
            let secretIdEnv = a.text("secret_id_env")
            if secretId == nil && secretIdEnv == nil {
                throw a.error("auth.secret_id or auth.secret_id_env is required for approle")
            }
            return .appRole(
                mount: a.text("mount") ?? "approle", roleId: roleId, secretId: secretId, secretIdEnv: secretIdEnv)
        case "jwt", "oidc":
            let role = try a.required(["role"])
            let file = a.text("jwt_file").map(environment.expandPath)
            let env = a.text("jwt_env")
            if file == nil && env == nil { throw a.error("auth.jwt_file or auth.jwt_env is required for jwt") }
            return .jwt(mount: a.text("mount") ?? "jwt", role: role, jwtFile: file, jwtEnv: env)
        case "kubernetes":
            let role = try a.required(["role"])
            return .kubernetes(
                mount: a.text("mount") ?? "kubernetes", role: role,
                tokenFile: a.text("token_file") ?? "/var/run/secrets/kubernetes.io/serviceaccount/token")
        case "userpass":
            let username = try a.required(["username"])
            let env = a.text("password_env")
            let file = a.text("password_file").map(environment.expandPath)
            if env == nil && file == nil {
                throw a.error("auth.password_env or auth.password_file is required for userpass")
            }
            return .userpass(mount: a.text("mount") ?? "userpass", username: username, passwordEnv: env, passwordFile: file)
        default:
            throw a.error("auth.method \"\(method)\" is not one of token, approle, jwt, kubernetes, userpass", "method")
        }
    }
}
