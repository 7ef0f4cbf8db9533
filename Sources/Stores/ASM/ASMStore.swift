public import Core

/// `aws/asm`: AWS Secrets Manager over its JSON-1.1 API. Secrets are named by `KeyComposition.aws`; values are JSON
/// (see `AWSValueEncoding`); reads batch through `BatchGetSecretValue` (20 ids per call, batches in parallel),
/// falling back to `GetSecretValue` per secret when the batch API is denied.
public final class ASMStore: SecretBackend, Sendable {
    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: AWSStoreOptions
    let clients: AWSStoreClients

    /// Ids per `BatchGetSecretValue` call (the API's limit).
    static let batchSize = 20
    /// Concurrent batches.
    static let parallelBatches = 4

    /// Creates the store (region from the option, the environment or the profile).
    public init(options: AWSStoreOptions, context: AWSContext = .shared) throws(CloakError) {
        self.options = options
        self.label = "store:\(options.name)"
        self.clients = try AWSStoreClients(
            options: options, context: context, service: "secretsmanager", targetPrefix: "secretsmanager",
            serviceEnv: "SECRETS_MANAGER", regionRequired: false)
    }

    /// Remote: status needs `--verify`.
    public var isLocal: Bool { false }

    /// Every scope.
    public func supports(_ scope: SecretScope) -> Bool { true }

    /// The secret name of a coordinate.
    public func secretName(_ coordinate: SecretCoordinate) -> String {
        KeyComposition.aws(prefix: options.prefix, coordinate: coordinate, stackDelimiter: options.stackDelimiter)
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        try Self.getOne(secretName(coordinate), client: clients.read, store: options.name)
    }

    static func getOne(_ name: String, client: AWSJSONClient, store: String) throws(CloakError) -> SecretValue {
        try getSecretValue(
            name, client: client, notFound: "secret \"\(name)\" not found in store \"\(store)\"",
            missingValue: "no SecretString", extract: secretValue)
    }

    /// `SecretString` decoded per the ASM value encoding, or `SecretBinary` as raw bytes.
    static func secretValue(_ item: JSONSpan, _ buf: UnsafeRawBufferPointer) -> SecretValue? {
        if let r = item.member("SecretString", in: buf)?.stringRange, let raw = JSONScanner.secretString(buf, r) {
            return AWSValueEncoding.asmDecode(raw)
        }
        if let r = item.member("SecretBinary", in: buf)?.stringRange {
            if let decoded = AWSBase64.decodeSecret(UnsafeRawBufferPointer(rebasing: buf[r])) { return .text(decoded) }
        }
        return nil
    }

    public func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>] {
        let names = coordinates.map(secretName)
        var unique: [String] = []
        var seen = Set<String>()
        for n in names where seen.insert(n).inserted { unique.append(n) }
        do throws(CloakError) {
            _ = try clients.read.credentials.credentials()
        } catch {
            return names.map { _ in .failure(error) }
        }
        let client = clients.read
        let store = options.name
        let results = BatchRunner.run(names: unique, size: Self.batchSize, width: Self.parallelBatches) {
            (chunk: [String]) throws(CloakError) -> [String: Result<SecretValue, CloakError>] in
            try ASMStore.fetchBatch(chunk, client: client, store: store)
        }
        return names.map { results[$0] ?? .failure(CloakError(.internal, "no result for secret \"\($0)\"")) }
    }

    /// Codes that mean "the batch API is not available to this caller": fall back to one call per secret.
    static let batchUnavailable: Set<String> = ["AccessDeniedException", "UnknownOperationException", "InvalidAction"]

    static func fetchBatch(_ names: [String], client: AWSJSONClient, store: String) throws(CloakError)
        -> [String: Result<SecretValue, CloakError>]
    {
        var out: [String: Result<SecretValue, CloakError>] = [:]
        var nextToken: String?
        var pages = 0
        repeat {
            let w = JSONBodyWriter()
            w.beginObject()
            w.key("SecretIdList")
            w.beginArray()
            for n in names { w.string(n) }
            w.endArray()
            if let nextToken { w.field("NextToken", nextToken) }
            w.endObject()
            let what = "secretsmanager BatchGetSecretValue (\(names.count) ids)"
            switch try client.call("BatchGetSecretValue", body: w.finish()) {
            case .failed(let code, let status, let attempts):
                if batchUnavailable.contains(code) && pages == 0 {
                    for n in names {
                        do throws(CloakError) {
                            out[n] = .success(try getOne(n, client: client, store: store))
                        } catch {
                            out[n] = .failure(error)
                        }
                    }
                    return out
                }
                throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
            case .ok(let response):
                let doc = try AWSJSONClient.parse(response, what)
                nextToken = doc.with { buf, root in
                    for item in root.member("SecretValues", in: buf)?.elements ?? [] {
                        guard let nr = item.member("Name", in: buf)?.stringRange,
                            let name = JSONScanner.plainString(buf, nr), let value = secretValue(item, buf)
                        else { continue }
                        out[name] = .success(value)
                    }
                    for item in root.member("Errors", in: buf)?.elements ?? [] {
                        guard let ir = item.member("SecretId", in: buf)?.stringRange,
                            let id = JSONScanner.plainString(buf, ir)
                        else { continue }
                        let code = item.member("ErrorCode", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
                            .map(AWSErrorCode.clean) ?? "error"
                        if code == "ResourceNotFoundException" {
                            out[id] = .failure(CloakError(.notInitialized, "secret \"\(id)\" not found in store \"\(store)\""))
                        } else {
                            out[id] = .failure(CloakError(.backend, "secretsmanager BatchGetSecretValue \"\(id)\": \(code)"))
                        }
                    }
                    return root.member("NextToken", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
                }
                response.body.reset()
            }
            pages += 1
        } while nextToken != nil && !(nextToken ?? "").isEmpty && pages < 50
        for n in names where out[n] == nil {
            out[n] = .failure(CloakError(.notInitialized, "secret \"\(n)\" not found in store \"\(store)\""))
        }
        return out
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let name = secretName(coordinate)
        let encoded = AWSValueEncoding.asmEncode(value)
        let create = JSONBodyWriter()
        create.beginObject()
        create.field("Name", name)
        create.key("SecretString")
        create.string(encoded)
        create.field("ClientRequestToken", randomUUID())
        if let keyId = options.keyId, !keyId.isEmpty { create.field("KmsKeyId", keyId) }
        create.endObject()
        let what = "secretsmanager CreateSecret \"\(name)\""
        switch try clients.write.call("CreateSecret", body: create.finish()) {
        case .ok(let response):
            response.body.reset()
            return
        case .failed(let code, let status, let attempts):
            guard code == "ResourceExistsException" else {
                throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
            }
        }
        let put = JSONBodyWriter()
        put.beginObject()
        put.field("SecretId", name)
        put.key("SecretString")
        put.string(encoded)
        put.field("ClientRequestToken", randomUUID())
        put.endObject()
        switch try clients.write.call("PutSecretValue", body: put.finish()) {
        case .ok(let response):
            response.body.reset()
        case .failed(let code, let status, let attempts):
            throw AWSJSONClient.failure(
                "secretsmanager PutSecretValue \"\(name)\"", code: code, status: status, attempts: attempts)
        }
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let name = secretName(coordinate)
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("SecretId", name)
        w.key("ForceDeleteWithoutRecovery")
        w.bool(true)
        w.endObject()
        switch try clients.write.call("DeleteSecret", body: w.finish()) {
        case .ok(let response):
            response.body.reset()
        case .failed(let code, let status, let attempts):
            if code == "ResourceNotFoundException" {
                throw CloakError(.notFound, "secret \"\(name)\" not found in store \"\(options.name)\"")
            }
            throw AWSJSONClient.failure("secretsmanager DeleteSecret \"\(name)\"", code: code, status: status, attempts: attempts)
        }
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        let name = secretName(coordinate)
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("SecretId", name)
        w.endObject()
        let what = "secretsmanager DescribeSecret \"\(name)\""
        switch try clients.read.call("DescribeSecret", body: w.finish()) {
        case .ok(let response):
            let doc = try AWSJSONClient.parse(response, what)
            let deleted = doc.with { buf, root -> Bool in
                guard let d = root.member("DeletedDate", in: buf) else { return false }
                if case .null = d { return false }
                return true
            }
            response.body.reset()
            return !deleted
        case .failed(let code, let status, let attempts):
            if code == "ResourceNotFoundException" { return false }
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        }
    }
}
