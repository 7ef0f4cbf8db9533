public import Core

/// `aws/ssm`: AWS Systems Manager Parameter Store over its JSON-1.1 API. Values are `SecureString` parameters
/// named by `KeyComposition.aws`; reads batch through `GetParameters` (10 names per call, batches in parallel).
public final class SSMStore: SecretBackend, Sendable {
    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: AWSStoreOptions
    let clients: AWSStoreClients

    /// Names per `GetParameters` call (the API's limit).
    static let batchSize = 10
    /// Concurrent batches.
    static let parallelBatches = 4

    /// Creates the store; a missing `region` is a configuration error.
    public init(options: AWSStoreOptions, context: AWSContext = .shared) throws(CloakError) {
        self.options = options
        self.label = "store:\(options.name)"
        self.clients = try AWSStoreClients(
            options: options, context: context, service: "ssm", targetPrefix: "AmazonSSM", serviceEnv: "SSM",
            regionRequired: true)
    }

    /// Remote: status needs `--verify`.
    public var isLocal: Bool { false }

    /// Every scope (empty stack or component segments are skipped in the name).
    public func supports(_ scope: SecretScope) -> Bool { true }

    /// The parameter name of a coordinate.
    public func parameterName(_ coordinate: SecretCoordinate) -> String {
        KeyComposition.aws(prefix: options.prefix, coordinate: coordinate, stackDelimiter: options.stackDelimiter)
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        let name = parameterName(coordinate)
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("Name", name)
        w.key("WithDecryption")
        w.bool(true)
        w.endObject()
        let what = "ssm GetParameter \"\(name)\""
        switch try clients.read.call("GetParameter", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            throw notFoundOr(code == "ParameterNotFound", name, what, code, status, attempts)
        case .ok(let response):
            let doc = try AWSJSONClient.parse(response, what)
            let raw = doc.with { buf, root in
                root.member("Parameter", in: buf)?.member("Value", in: buf)?.stringRange.flatMap {
                    JSONScanner.secretString(buf, $0)
                }
            }
            guard let raw else { throw CloakError(.backend, "\(what): the response has no Parameter.Value") }
            response.body.reset()
            return AWSValueEncoding.ssmDecode(raw)
        }
    }

    public func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>] {
        let names = coordinates.map(parameterName)
        var unique: [String] = []
        var seen = Set<String>()
        for n in names where seen.insert(n).inserted { unique.append(n) }
        // Resolve credentials once before fanning out, so the batches share them.
        do throws(CloakError) {
            _ = try clients.read.credentials.credentials()
        } catch {
            return names.map { _ in .failure(error) }
        }
        let client = clients.read
        let storeName = options.name
        let results = BatchRunner.run(names: unique, size: Self.batchSize, width: Self.parallelBatches) {
            (chunk: [String]) throws(CloakError) -> [String: Result<SecretValue, CloakError>] in
            try SSMStore.fetchBatch(chunk, client: client, store: storeName)
        }
        return names.map { results[$0] ?? .failure(CloakError(.internal, "no result for parameter \"\($0)\"")) }
    }

    static func fetchBatch(_ names: [String], client: AWSJSONClient, store: String) throws(CloakError)
        -> [String: Result<SecretValue, CloakError>]
    {
        try getParameters(
            names, client: client, notFound: { "parameter \"\($0)\" not found in store \"\(store)\"" },
            decode: AWSValueEncoding.ssmDecode)
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let name = parameterName(coordinate)
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("Name", name)
        w.key("Value")
        w.string(AWSValueEncoding.ssmEncode(value))
        w.field("Type", "SecureString")
        if let keyId = options.keyId, !keyId.isEmpty { w.field("KeyId", keyId) }
        w.key("Overwrite")
        w.bool(true)
        w.endObject()
        let what = "ssm PutParameter \"\(name)\""
        switch try clients.write.call("PutParameter", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            response.body.reset()
        }
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let name = parameterName(coordinate)
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("Name", name)
        w.endObject()
        let what = "ssm DeleteParameter \"\(name)\""
        switch try clients.write.call("DeleteParameter", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            if code == "ParameterNotFound" {
                throw CloakError(.notFound, "parameter \"\(name)\" not found in store \"\(options.name)\"")
            }
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            response.body.reset()
        }
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        let name = parameterName(coordinate)
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("Name", name)
        w.key("WithDecryption")
        w.bool(false)
        w.endObject()
        let what = "ssm GetParameter \"\(name)\""
        switch try clients.read.call("GetParameter", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            if code == "ParameterNotFound" { return false }
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            response.body.reset()
            return true
        }
    }

    private func notFoundOr(
        _ missing: Bool, _ name: String, _ what: String, _ code: String, _ status: Int, _ attempts: Int
    ) -> CloakError {
        if missing { return CloakError(.notInitialized, "parameter \"\(name)\" not found in store \"\(options.name)\"") }
        return AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
    }
}
