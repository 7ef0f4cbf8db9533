public import Core

/// `gcp/secretmanager`: Google Secret Manager over its REST API (v1). Secret ids come from `KeyComposition.gcp`;
/// values are JSON-encoded (`JSONValueEncoding`) and travel base64-encoded in `payload.data` with a `dataCrc32c`
/// checksum that reads verify. Reads use `GET …/versions/latest:access`; set adds a version, creating the secret
/// (automatic or user-managed replication) when it is missing; delete removes the secret (a missing one is an error).
public final class GCPSecretManagerStore: SecretBackend, Sendable {
    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: GCPStoreOptions
    let rest: RESTClient
    let credentials: GCPCredentials

    /// Creates the store.
    public init(options: GCPStoreOptions, context: RESTContext = RESTContext()) {
        self.options = options
        self.label = "store:\(options.name)"
        rest = RESTClient(
            http: context.client(maxAttempts: options.maxAttempts), timeouts: RESTContext.timeouts(options.timeout))
        credentials = GCPCredentials(
            credentials: options.credentials, environment: context.environment, rest: rest, now: context.now)
    }

    /// Remote.
    public var isLocal: Bool { false }

    /// Every scope.
    public func supports(_ scope: SecretScope) -> Bool { true }

    /// The secret id of a coordinate.
    public func secretId(_ coordinate: SecretCoordinate) -> String {
        KeyComposition.gcp(prefix: options.prefix, coordinate: coordinate, stackDelimiter: options.stackDelimiter)
    }

    /// `<endpoint>/v1/projects/<p>[/locations/<l>]/secrets`.
    var collection: String {
        var base =
            options.endpoint
            ?? (options.location.map { "https://secretmanager.\($0).rep.googleapis.com" }
                ?? "https://secretmanager.googleapis.com")
        while base.hasSuffix("/") { base.removeLast() }
        var path = "/v1/projects/" + URIEncoding.encode(options.projectId)
        if let l = options.location { path += "/locations/" + URIEncoding.encode(l) }
        return base + path + "/secrets"
    }

    private func call(
        _ method: String, _ url: String, body: SecretBytes? = nil, what: String
    ) throws(CloakError) -> HTTPResponse {
        var headers: [(name: String, value: String)] = []
        if !options.withoutAuthentication { headers.append(try credentials.token().bearerHeader()) }
        return try rest.send(method, url, headers: headers, body: body, what: what)
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        try read(id: secretId(coordinate))
    }

    /// The latest version of the secret called `id`, checked against its CRC32C and JSON-decoded.
    func read(id: String) throws(CloakError) -> SecretValue {
        let what = "gcp secretmanager access \"\(id)\""
        let response = try call(
            "GET", collection + "/" + URIEncoding.encode(id) + "/versions/latest:access", what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notInitialized, "secret \"\(id)\" not found in store \"\(options.name)\"")
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        let data = doc.with { buf, root in
            root.member("payload", in: buf)?.member("data", in: buf)?.stringRange.flatMap {
                AWSBase64.decodeSecret(UnsafeRawBufferPointer(rebasing: buf[$0]))
            }
        }
        guard let data else { throw CloakError(.backend, "\(what): the response has no payload.data") }
        if let crc = doc.plain(["payload", "dataCrc32c"]) ?? doc.int(["payload", "dataCrc32c"]).map(String.init) {
            let actual = data.withUnsafeBytes { CRC32C.checksum($0) }
            guard UInt32(crc) == actual else {
                throw CloakError(.backend, "\(what): the payload checksum does not match")
            }
        }
        return JSONValueEncoding.decode(data)
    }

    /// Reads in parallel after a first read that warms authentication.
    public func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>] {
        ParallelGets.run(coordinates) { (c) throws(CloakError) -> SecretValue in try self.get(c) }
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let id = secretId(coordinate)
        let body = Self.addVersionBody(JSONValueEncoding.encode(value))
        let what = "gcp secretmanager addVersion \"\(id)\""
        let url = collection + "/" + URIEncoding.encode(id) + ":addVersion"
        var response = try call("POST", url, body: body, what: what)
        if response.status == 404 {
            response.body.reset()
            try create(id)
            response = try call("POST", url, body: body, what: what)
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    private func create(_ id: String) throws(CloakError) {
        let what = "gcp secretmanager create \"\(id)\""
        var json = "{}"
        if options.location == nil {
            if options.locations.isEmpty {
                json = "{\"replication\":{\"automatic\":{}}}"
            } else {
                let replicas = options.locations.map { "{\"location\":\(GCPCredentials.quote($0))}" }.joined(
                    separator: ",")
                json = "{\"replication\":{\"userManaged\":{\"replicas\":[\(replicas)]}}}"
            }
        }
        var bytes = Array(json.utf8)
        let response = try call(
            "POST", collection + "?secretId=" + URIEncoding.encode(id), body: SecretBytes(consuming: &bytes), what: what
        )
        guard response.isSuccess || response.status == 409 else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let id = secretId(coordinate)
        let what = "gcp secretmanager delete \"\(id)\""
        let response = try call("DELETE", collection + "/" + URIEncoding.encode(id), what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notFound, "secret \"\(id)\" not found in store \"\(options.name)\"")
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        let id = secretId(coordinate)
        let what = "gcp secretmanager get version \"\(id)\""
        let response = try call("GET", collection + "/" + URIEncoding.encode(id) + "/versions/latest", what: what)
        if response.status == 404 {
            response.body.reset()
            return false
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        return (doc.plain(["state"]) ?? "ENABLED") == "ENABLED"
    }

    /// `{"payload": {"data": <base64>, "dataCrc32c": "<decimal>"}}`.
    static func addVersionBody(_ data: SecretBytes) -> SecretBytes {
        let out = SecureBuffer(capacity: data.count * 2 + 64)
        out.append("{\"payload\":{\"data\":\"")
        data.withUnsafeBytes { AWSBase64.encode($0, into: out) }
        let crc = data.withUnsafeBytes { CRC32C.checksum($0) }
        out.append("\",\"dataCrc32c\":\"\(crc)\"}}")
        let s = out.secret()
        out.reset()
        return s
    }
}
