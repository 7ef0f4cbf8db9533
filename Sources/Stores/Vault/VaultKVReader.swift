public import Core
import Synchronization

/// Reads secrets by logical path (`<mount>/<path>`) for vals-style `ref+vault` references, on KV version 1 or 2
/// mounts alike: the mount and its version come from `GET /v1/sys/internal/ui/mounts/<path>`; on a version 2 mount
/// `data/` is inserted after the mount (unless the path already has it) and the response's inner `data` map is
/// the secret. A path whose mount cannot be looked up (no permission, older servers) is read as version 1.
public final class VaultKVReader: Sendable {
    let address: String
    let namespace: String?
    let rest: RESTClient
    let auth: VaultAuth
    private let mounts = Mutex<[String: (mount: String, v2: Bool)]>([:])

    /// Creates a reader for the server at `address` with the login `method` (a static `token` for `.token`).
    public init(
        address: String, namespace: String?, method: VaultAuthMethod, token: SecretBytes?, caBundle: String? = nil,
        skipVerify: Bool = false, context: RESTContext
    ) {
        self.address = address
        self.namespace = namespace
        rest = RESTClient(
            http: context.client(caBundle: caBundle, skipVerify: skipVerify), timeouts: RESTContext.timeouts(nil))
        auth = VaultAuth(
            address: address, method: method, token: token, namespace: namespace, environment: context.environment,
            rest: rest, now: context.now)
    }

    private func send(_ url: String, what: String) throws(CloakError) -> HTTPResponse {
        var headers: [(name: String, value: String)] = [(name: "X-Vault-Token", value: try auth.token().unsafeString())]
        if let namespace { headers.append((name: "X-Vault-Namespace", value: namespace)) }
        return try rest.send("GET", url, headers: headers, what: what)
    }

    /// The mount `path` lives on (with its trailing `/`) and whether it is KV version 2.
    func mount(of path: String) throws(CloakError) -> (mount: String, v2: Bool)? {
        let first = path.split(separator: "/").first.map(String.init) ?? path
        if let hit = mounts.withLock({ $0[first] }), path.hasPrefix(hit.mount) { return hit }
        let what = "vault mount lookup \"\(path)\""
        let response = try send(VaultPaths.url(address, "sys/internal/ui/mounts/" + path), what: what)
        guard response.isSuccess, let doc = try? RESTClient.parse(response, what) else {
            response.body.reset()
            return nil
        }
        defer { doc.wipe() }
        guard let mount = doc.plain(["data", "path"]), !mount.isEmpty else { return nil }
        let version = doc.plain(["data", "options", "version"])
        let found = (mount: mount.hasSuffix("/") ? mount : mount + "/", v2: version == "2")
        mounts.withLock { $0[first] = found }
        return found
    }

    /// The secret at logical path `path` as compact JSON (its data map), or nil when there is none. `version`
    /// selects a KV version 2 version.
    public func read(_ path: String, version: String? = nil) throws(CloakError) -> SecretBytes? {
        let logical = VaultPaths.trim(path)
        var apiPath = logical
        var v2 = false
        if let m = try mount(of: logical), m.v2 {
            v2 = true
            let rest = logical.hasPrefix(m.mount) ? String(logical.dropFirst(m.mount.count)) : logical
            apiPath = m.mount + (rest.hasPrefix("data/") ? rest : "data/" + rest)
        }
        var url = VaultPaths.url(address, apiPath)
        if v2, let version, !version.isEmpty { url += "?version=" + URIEncoding.encode(version) }
        let what = "vault read \"\(logical)\""
        let response = try send(url, what: what)
        if response.status == 404 {
            response.body.reset()
            return nil
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        let data = doc.with { buf, root -> SecretBytes? in
            var span = root.member("data", in: buf)
            if v2 { span = span?.member("data", in: buf) }
            guard let span, case .object = span else { return nil }
            return JSONSpanWriter.secret(span, in: buf)
        }
        guard let data else { throw CloakError(.backend, "\(what): the response has no data map") }
        return data
    }
}
