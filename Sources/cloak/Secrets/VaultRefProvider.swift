import Core
import Resolve
import Stores
import Synchronization
import YAML

/// `ref+vault://MOUNT/PATH[/FIELD][?address=…&namespace=…&auth_method=token|approle|kubernetes|userpass&token_env=…&token_file=…&
/// role_id=…&secret_id=…&version=N&decode=base64][#/frag]` through the Vault KV reader (see `VaultRefLookup`).
/// The server is `address`, else `proto` (default https) + `host`, else `VAULT_ADDR`; the namespace `namespace`,
/// else `VAULT_NAMESPACE`; the login `auth_method` (else `VAULT_AUTH_METHOD`, else token). A token comes from the
/// variable named by `token_env`, the file `token_file`, `VAULT_TOKEN`, `VAULT_TOKEN_FILE` or `~/.vault-token`;
/// AppRole from `role_id`/`secret_id` (else `VAULT_ROLE_ID`/`VAULT_SECRET_ID`, mount `VAULT_LOGIN_MOUNT_POINT`);
/// Kubernetes with role `role_id` and the token at `VAULT_KUBERNETES_JWT_TOKEN_PATH` (mount
/// `VAULT_KUBERNETES_MOUNT_POINT`); userpass from `username` (`VAULT_USERNAME`) and `password_env`/`password_file`
/// (`VAULT_PASSWORD_ENV`/`VAULT_PASSWORD_FILE`) — vals's parameters. One reader (and login) per distinct
/// server/namespace/credentials; each secret is read once per document however many fields are used, distinct
/// secrets concurrently.
final class VaultRefProvider: RefProvider, Sendable {
    private let environment: Environment
    private let readers = Mutex<[String: VaultKVReader]>([:])

    init(environment: Environment) { self.environment = environment }

    var isLocal: Bool { false }

    func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: false)])[0].get().scalarText ?? ""
    }

    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: true)])[0].get()
    }

    func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>] {
        // Parse and log in (one reader per server and credentials) first, then read each distinct document once.
        let plans = requests.map { (r) -> Result<VaultRead, CloakError> in
            do throws(CloakError) {
                let lookup = try VaultRefLookup(path: r.path, wantsMap: r.wantsMap)
                let (key, reader) = try self.reader(r.params)
                let version = r.params.value("version").flatMap { $0.isEmpty ? nil : $0 }
                return .success(VaultRead(lookup: lookup, reader: reader, version: version,
                    key: key + "\u{0}" + lookup.secretPath + "\u{0}" + (version ?? "")))
            } catch {
                return .failure(error)
            }
        }
        let reads = plans.compactMap { try? $0.get() }
        let documents = ParallelFetch.distinct(reads.map(\.key)) { (key) -> Result<Node, CloakError> in
            guard let read = reads.first(where: { $0.key == key }) else {
                return .failure(CloakError(.internal, "vault: lost lookup"))
            }
            return Self.read(read.reader, read.lookup.secretPath, read.version)
        }
        return zip(requests, plans).map { (r, plan) -> Result<Node, CloakError> in
            do throws(CloakError) {
                let read = try plan.get()
                let document = try documents[read.key]?.get() ?? .mapping([])
                let lookup = read.lookup
                guard let field = lookup.field else { return .success(document) }
                guard let value = document.pairs?.last(where: { GoValueFormat.format($0.key) == field })?.value else {
                    throw CloakError(.notFound, "vault: get string: key \"\(field)\" does not exist in \"\(lookup.secretPath)\"")
                }
                return .success(.string(try Self.decode(GoValueFormat.format(value), r.params, lookup)))
            } catch {
                return .failure(error)
            }
        }
    }

    /// One document read: the reference, its reader, the KV version and the key that deduplicates it.
    private struct VaultRead: Sendable {
        let lookup: VaultRefLookup
        let reader: VaultKVReader
        let version: String?
        let key: String
    }

    private static func read(_ reader: VaultKVReader, _ path: String, _ version: String?) -> Result<Node, CloakError> {
        do throws(CloakError) {
            guard let data = try reader.read(path, version: version) else {
                throw CloakError(.notInitialized, "vault: no secret at \"\(path)\"")
            }
            return .success(try RefDocument.parseMap(data.unsafeString(), source: "vault: secret \"\(path)\""))
        } catch {
            return .failure(error)
        }
    }

    /// `decode=base64` decodes a field's value; `raw` (the default) keeps it.
    private static func decode(_ text: String, _ params: RefParams, _ lookup: VaultRefLookup) throws(CloakError) -> String {
        switch params.value("decode") ?? "" {
        case "", "raw":
            return text
        case "base64":
            guard let bytes = Base64.decode(text, alphabet: .standard, padded: true) else {
                throw CloakError(.config, "vault: field \"\(lookup.field ?? "")\" of \"\(lookup.secretPath)\" is not base64 (decode=base64)")
            }
            return String(decoding: bytes, as: UTF8.self)
        case let other:
            throw CloakError(.config, "vault: unsupported decode=\(other) (raw or base64)")
        }
    }

    private func reader(_ params: RefParams) throws(CloakError) -> (String, VaultKVReader) {
        let address: String
        if let a = params.value("address"), !a.isEmpty {
            address = a
        } else if let host = params.value("host"), !host.isEmpty {
            address = (params.value("proto") ?? "https") + "://" + host
        } else if let a = environment.nonEmpty("VAULT_ADDR") {
            address = a
        } else {
            throw CloakError(.config, "vault: no server address (add ?address=…, or set VAULT_ADDR)")
        }
        let namespace = params.value("namespace") ?? environment.nonEmpty("VAULT_NAMESPACE")
        let method = params.value("auth_method") ?? environment.nonEmpty("VAULT_AUTH_METHOD") ?? "token"
        var token: SecretBytes?
        let auth: VaultAuthMethod
        var identity: String
        switch method {
        case "token":
            auth = .token
            identity = "token"
            if let name = params.value("token_env"), !name.isEmpty {
                guard let t = environment.nonEmpty(name) else {
                    throw CloakError(.config, "vault: token_env=\(name) names a variable that is not set")
                }
                token = Self.secret(t)
                identity += "\u{0}env:" + name
            } else if let file = params.value("token_file").flatMap({ $0.isEmpty ? nil : $0 })
                ?? (environment.nonEmpty("VAULT_TOKEN") == nil ? environment.nonEmpty("VAULT_TOKEN_FILE") : nil)
            {
                var bytes = try FileSystem.readBytes(environment.expandPath(file))
                while let l = bytes.last, l == 0x0A || l == 0x0D || l == 0x20 { bytes.removeLast() }
                token = SecretBytes(consuming: &bytes)
                identity += "\u{0}file:" + file
            }
        case "approle":
            guard let roleId = params.value("role_id") ?? environment.nonEmpty("VAULT_ROLE_ID"), !roleId.isEmpty else {
                throw CloakError(.config, "vault: auth_method=approle needs role_id (or VAULT_ROLE_ID)")
            }
            guard let secretId = params.value("secret_id") ?? environment.nonEmpty("VAULT_SECRET_ID"), !secretId.isEmpty else {
                throw CloakError(.config, "vault: auth_method=approle needs secret_id (or VAULT_SECRET_ID)")
            }
            auth = .appRole(mount: loginMount("approle"), roleId: roleId, secretId: secretId, secretIdEnv: nil)
            identity = "approle\u{0}" + roleId
        case "kubernetes":
            // vals: the role is `role_id`; the JWT is the pod's service-account token.
            guard let role = params.value("role_id") ?? environment.nonEmpty("VAULT_ROLE_ID"), !role.isEmpty else {
                throw CloakError(.config, "vault: auth_method=kubernetes needs role_id (the Vault role; or VAULT_ROLE_ID)")
            }
            let file = environment.nonEmpty("VAULT_KUBERNETES_JWT_TOKEN_PATH") ?? "/var/run/secrets/kubernetes.io/serviceaccount/token"
            auth = .kubernetes(mount: environment.nonEmpty("VAULT_KUBERNETES_MOUNT_POINT") ?? "kubernetes", role: role, tokenFile: file)
            identity = "kubernetes\u{0}" + role + "\u{0}" + file
        case "userpass":
            guard let user = params.value("username") ?? environment.nonEmpty("VAULT_USERNAME"), !user.isEmpty else {
                throw CloakError(.config, "vault: auth_method=userpass needs username (or VAULT_USERNAME)")
            }
            let passwordEnv = params.value("password_env").flatMap { $0.isEmpty ? nil : $0 } ?? environment.nonEmpty("VAULT_PASSWORD_ENV")
            let passwordFile = passwordEnv != nil ? nil
                : (params.value("password_file").flatMap { $0.isEmpty ? nil : $0 } ?? environment.nonEmpty("VAULT_PASSWORD_FILE"))
            guard passwordEnv != nil || passwordFile != nil else {
                throw CloakError(.config, "vault: auth_method=userpass needs password_env or password_file (or VAULT_PASSWORD_ENV/VAULT_PASSWORD_FILE)")
            }
            auth = .userpass(
                mount: loginMount("userpass"), username: user, passwordEnv: passwordEnv,
                passwordFile: passwordFile.map(environment.expandPath))
            identity = "userpass\u{0}" + user + "\u{0}" + (passwordEnv ?? "") + "\u{0}" + (passwordFile ?? "")
        default:
            throw CloakError(.config, "vault: auth_method=\(method) is not supported (token, approle, kubernetes or userpass)")
        }
        let key = [address, namespace ?? "", identity].joined(separator: "\u{1}")
        if let hit = readers.withLock({ $0[key] }) { return (key, hit) }
        let skip = environment.nonEmpty("VAULT_SKIP_VERIFY").map { $0 == "1" || $0.lowercased() == "true" } ?? false
        let made = VaultKVReader(
            address: address, namespace: namespace, method: auth, token: token,
            caBundle: environment.nonEmpty("VAULT_CACERT"), skipVerify: skip, context: RESTContext(environment: environment))
        readers.withLock { $0[key] = made }
        return (key, made)
    }

    /// vals's `VAULT_LOGIN_MOUNT_POINT` (approle and userpass), else the method's default mount.
    private func loginMount(_ fallback: String) -> String {
        environment.nonEmpty("VAULT_LOGIN_MOUNT_POINT") ?? fallback
    }

    private static func secret(_ text: String) -> SecretBytes {
        var bytes = Array(text.utf8)
        return SecretBytes(consuming: &bytes)
    }
}
