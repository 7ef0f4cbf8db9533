public import Core
import Synchronization

/// `azure/keyvault`: Azure Key Vault secrets over the REST data plane. Names come from `KeyComposition.azure`;
/// values are JSON-encoded strings (`JSONValueEncoding`). Authentication follows Key Vault's challenge protocol:
/// the first request goes out without a token (and without its body); the `401` carries
/// `WWW-Authenticate: Bearer authorization=…, resource=…|scope=…`, which names the tenant and scope; the request
/// is then repeated with a token from `AzureCredentials`. The challenge is remembered for the store's later calls.
///
/// Delete: `DELETE /secrets/{name}` soft-deletes on vaults with soft delete enabled (the default): the secret is
/// kept as a deleted secret until purged or its retention ends, and the name cannot be written again until then.
/// `purge_on_delete: true` purges it right away (`DELETE /deletedsecrets/{name}`, which needs the purge permission).
/// Writing a name that is deleted but recoverable fails with a one-line hint.
public final class AzureKeyVaultStore: SecretBackend, Sendable {
    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: AzureStoreOptions
    let rest: RESTClient
    let credentials: AzureCredentials
    private let challenge = Mutex<AzureChallenge?>(nil)
    let clock: any RetryClock

    /// Creates the store.
    public init(options: AzureStoreOptions, context: RESTContext = RESTContext()) {
        self.options = options
        self.label = "store:\(options.name)"
        rest = RESTClient(
            http: context.client(caBundle: options.caBundle, maxAttempts: options.maxAttempts),
            timeouts: RESTContext.timeouts(options.timeout))
        credentials = AzureCredentials(environment: context.environment, rest: rest, now: context.now)
        clock = context.clock
    }

    /// Remote.
    public var isLocal: Bool { false }

    /// Every scope.
    public func supports(_ scope: SecretScope) -> Bool { true }

    /// The secret name of a coordinate.
    public func secretName(_ coordinate: SecretCoordinate) -> String {
        KeyComposition.azure(prefix: options.prefix, coordinate: coordinate, stackDelimiter: options.stackDelimiter)
    }

    private func url(_ path: String) -> String {
        var base = options.vaultURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path + "?api-version=" + URIEncoding.encode(options.apiVersion)
    }

    /// Sends with the challenge protocol; returns the final response.
    func call(
        _ method: String, _ url: String, body: SecretBytes? = nil, what: String
    ) throws(CloakError) -> HTTPResponse {
        if options.withoutAuthentication { return try rest.send(method, url, body: body, what: what) }
        if let known = challenge.withLock({ $0 }) {
            let response = try authorized(known, method, url, body, what)
            guard response.status == 401 else { return response }
            response.body.reset()
            credentials.reset()
        }
        // Unauthenticated first request, without its body, to learn the tenant and scope.
        let first = try rest.send(method, url, body: body == nil ? nil : SecretBytes.random(count: 0), what: what)
        guard first.status == 401 else {
            // No challenge (a vault that needs no token): send the request as meant, with its body.
            guard body != nil else { return first }
            first.body.reset()
            return try rest.send(method, url, body: body, what: what)
        }
        first.body.reset()
        guard let header = first.header("www-authenticate"), let parsed = AzureChallenge.parse(header) else {
            throw CloakError(.backend, "\(what): the vault answered 401 without a Bearer challenge")
        }
        if !options.disableChallengeResourceVerification && !parsed.resourceMatches(vaultURL: options.vaultURL) {
            throw CloakError(
                .backend,
                "\(what): the challenge resource \(AzureChallenge.host(parsed.resource)) does not match the "
                    + "vault's domain (set disable_challenge_resource_verification for test vaults)"
            )
        }
        challenge.withLock { $0 = parsed }
        let response = try authorized(parsed, method, url, body, what)
        return response
    }

    private func authorized(
        _ c: AzureChallenge, _ method: String, _ url: String, _ body: SecretBytes?, _ what: String
    )
        throws(CloakError) -> HTTPResponse
    {
        if url.lowercased().hasPrefix("http://") && !options.insecureAllowCredentialWithHTTP {
            throw CloakError(
                .config,
                "store \"\(options.name)\": refusing to send a token over plain HTTP (use https, or "
                    + "insecure_allow_credential_with_http for tests)"
            )
        }
        let token = try credentials.token(for: c)
        return try rest.send(method, url, headers: [token.bearerHeader()], body: body, what: what)
    }

    /// The Key Vault error code of a failed response (`SecretNotFound`, `Forbidden`, …), safe to print.
    static func errorCode(_ response: HTTPResponse) -> String? {
        guard let doc = try? RESTClient.parse(response, "") else { return nil }
        guard let code = doc.plain(["error", "code"]), code.count <= 64,
            code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
        else { return nil }
        return code
    }

    private func failure(_ what: String, _ response: HTTPResponse) -> CloakError {
        let code = Self.errorCode(response)
        let err = RESTClient.failure(what, response)
        guard let code else { return err }
        return CloakError(err.code, err.message.replacingFirst(": ", with: ": \(code): "))
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        try read(name: secretName(coordinate))
    }

    /// The value of the secret called `name`, JSON-decoded (falling back to the raw string).
    func read(name: String) throws(CloakError) -> SecretValue {
        let what = "azure keyvault get \"\(name)\""
        let response = try call("GET", url("/secrets/" + URIEncoding.encode(name) + "/"), what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notInitialized, "secret \"\(name)\" not found in store \"\(options.name)\"")
        }
        guard response.isSuccess else { throw failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        guard let raw = doc.secret(["value"]) else { throw CloakError(.backend, "\(what): the response has no value") }
        return JSONValueEncoding.decode(raw)
    }

    /// Reads in parallel after a first read that warms authentication.
    public func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>] {
        ParallelGets.run(coordinates) { (c) throws(CloakError) -> SecretValue in try self.get(c) }
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let name = secretName(coordinate)
        let what = "azure keyvault set \"\(name)\""
        let w = JSONBodyWriter()
        w.beginObject()
        w.key("value")
        w.string(JSONValueEncoding.encode(value))
        w.key("contentType")
        w.string("application/json")
        w.endObject()
        let response = try call("PUT", url("/secrets/" + URIEncoding.encode(name)), body: w.finish(), what: what)
        if response.status == 409 {
            response.body.reset()
            throw CloakError(
                .backend,
                "\(what): the secret is deleted but recoverable; purge it (az keyvault secret purge) or recover "
                    + "it first (HTTP 409)"
            )
        }
        guard response.isSuccess else { throw failure(what, response) }
        response.body.reset()
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let name = secretName(coordinate)
        let what = "azure keyvault delete \"\(name)\""
        let response = try call("DELETE", url("/secrets/" + URIEncoding.encode(name)), what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notFound, "secret \"\(name)\" not found in store \"\(options.name)\"")
        }
        guard response.isSuccess else { throw failure(what, response) }
        response.body.reset()
        guard options.purgeOnDelete else { return }
        // Deletion completes asynchronously: the purge may see 404/409 for a moment.
        let purgeWhat = "azure keyvault purge \"\(name)\""
        for attempt in 0..<10 {
            let p = try call("DELETE", url("/deletedsecrets/" + URIEncoding.encode(name)), what: purgeWhat)
            if p.isSuccess {
                p.body.reset()
                return
            }
            if (p.status == 404 || p.status == 409) && attempt < 9 {
                p.body.reset()
                clock.sleep(seconds: 0.5)
                continue
            }
            throw failure(purgeWhat, p)
        }
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        let name = secretName(coordinate)
        let what = "azure keyvault get \"\(name)\""
        let response = try call("GET", url("/secrets/" + URIEncoding.encode(name) + "/"), what: what)
        defer { response.body.reset() }
        if response.status == 404 { return false }
        guard response.isSuccess else { throw failure(what, response) }
        return true
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}
