public import Core

/// `hashicorp/vault`: a KV version 2 mount over Vault's HTTP API. The secret path is `KeyComposition.vault` under
/// the mount, the value lives in the field `value`. Stack- and global-scoped coordinates work (empty segments are
/// skipped), unlike upstream, which rejected them.
///
/// `delete` removes the secret's metadata and every version (a hard delete, `DELETE /v1/<mount>/metadata/<path>`),
/// so `exists` becomes false afterwards. Upstream soft-deleted the latest version, which left the metadata in place
/// and kept reporting the secret as existing; a soft-deleted secret written by another tool is also reported as
/// missing here, because `exists` checks that the current version is neither deleted nor destroyed.
public final class VaultStore: SecretBackend, Sendable {
    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: VaultStoreOptions
    let rest: RESTClient
    let auth: VaultAuth

    /// Creates the store.
    public init(options: VaultStoreOptions, context: RESTContext = RESTContext()) {
        self.options = options
        self.label = "store:\(options.name)"
        let http = context.client(
            caBundle: options.caBundle, skipVerify: options.skipVerify, maxAttempts: options.maxAttempts)
        self.rest = RESTClient(http: http, timeouts: RESTContext.timeouts(options.timeout))
        self.auth = VaultAuth(
            address: options.address, method: options.auth, token: options.token, namespace: options.namespace,
            environment: context.environment, rest: rest, now: context.now)
    }

    /// Remote: status needs `--verify`.
    public var isLocal: Bool { false }

    /// Every scope.
    public func supports(_ scope: SecretScope) -> Bool { true }

    /// The KV path of a coordinate (under the mount, without leading `/`).
    public func secretPath(_ coordinate: SecretCoordinate) -> String {
        VaultPaths.trim(
            KeyComposition.vault(prefix: options.prefix, coordinate: coordinate, stackDelimiter: options.stackDelimiter)
        )
    }

    private func url(_ kind: String, _ path: String) -> String {
        VaultPaths.url(options.address, VaultPaths.trim(options.mount) + "/" + kind + "/" + path)
    }

    /// Sends with the store's token; a 403 with a login token (which may have expired) logs in again once.
    private func call(
        _ method: String, _ url: String, body: SecretBytes? = nil, what: String
    ) throws(CloakError) -> HTTPResponse {
        var relogged = false
        while true {
            let token = try auth.token()
            var headers: [(name: String, value: String)] = [(name: "X-Vault-Token", value: token.unsafeString())]
            if let ns = options.namespace { headers.append((name: "X-Vault-Namespace", value: ns)) }
            let response = try rest.send(method, url, headers: headers, body: body, what: what)
            guard response.status == 403, options.auth != .token, !relogged else { return response }
            response.body.reset()
            auth.reset()
            relogged = true
        }
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        try read(path: secretPath(coordinate))
    }

    /// The current version at `path` under the mount: its `value` field, or the whole data map.
    func read(path: String) throws(CloakError) -> SecretValue {
        let what = "vault read \"\(options.mount)/\(path)\""
        let response = try call("GET", url("data", path), what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notInitialized, "secret \"\(path)\" not found in store \"\(options.name)\"")
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        let value = doc.with { buf, root in
            VaultValue.decode(root.member("data", in: buf)?.member("data", in: buf), buf)
        }
        doc.wipe()
        guard let value else { throw CloakError(.backend, "\(what): the response has no data.data map") }
        return value
    }

    /// Reads in parallel after a first read that warms authentication.
    public func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>] {
        ParallelGets.run(coordinates) { (c) throws(CloakError) -> SecretValue in try self.get(c) }
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let path = secretPath(coordinate)
        let what = "vault write \"\(options.mount)/\(path)\""
        let response = try call("POST", url("data", path), body: VaultValue.encode(value), what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let path = secretPath(coordinate)
        guard try metadataState(path) != nil else {
            throw CloakError(.notFound, "secret \"\(path)\" not found in store \"\(options.name)\"")
        }
        let what = "vault delete \"\(options.mount)/\(path)\""
        let response = try call("DELETE", url("metadata", path), what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        try metadataState(secretPath(coordinate)) == true
    }

    /// nil: no metadata; false: metadata whose current version is deleted or destroyed; true: a live value.
    func metadataState(_ path: String) throws(CloakError) -> Bool? {
        let what = "vault metadata \"\(options.mount)/\(path)\""
        let response = try call("GET", url("metadata", path), what: what)
        if response.status == 404 {
            response.body.reset()
            return nil
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        let live = doc.with { buf, root -> Bool in
            guard let data = root.member("data", in: buf) else { return false }
            guard case .number(let r) = data.member("current_version", in: buf) else { return false }
            let current = String(decoding: UnsafeRawBufferPointer(rebasing: buf[r]), as: UTF8.self)
            guard current != "0", let version = data.member("versions", in: buf)?.member(current, in: buf) else {
                return false
            }
            if case .bool(true) = version.member("destroyed", in: buf) { return false }
            if let dr = version.member("deletion_time", in: buf)?.stringRange, !dr.isEmpty { return false }
            return true
        }
        doc.wipe()
        return live
    }
}

/// Vault's value encoding: `{"data": {"value": <v>}}`; reads take `value`, or the whole data map as JSON.
public enum VaultValue {
    /// The request body of a KV v2 write.
    public static func encode(_ value: SecretValue) -> SecretBytes {
        let out = SecureBuffer(capacity: value.bytes.count + 64)
        out.append("{\"data\":{\"value\":")
        switch value {
        case .json(let b): out.append(b)
        case .text(let b):
            let w = JSONBodyWriter()
            w.string(b)
            out.append(w.finish())
        }
        out.append("}}")
        let s = out.secret()
        out.reset()
        return s
    }

    /// The value in a `data.data` map: its `value` field (a string as text, anything else as JSON), else the map.
    static func decode(_ data: JSONSpan?, _ buf: UnsafeRawBufferPointer) -> SecretValue? {
        guard let data, case .object = data else { return nil }
        guard let v = data.member("value", in: buf) else { return .json(JSONSpanWriter.secret(data, in: buf)) }
        if let r = v.stringRange, let s = JSONScanner.secretString(buf, r) { return .text(s) }
        return .json(JSONSpanWriter.secret(v, in: buf))
    }
}
