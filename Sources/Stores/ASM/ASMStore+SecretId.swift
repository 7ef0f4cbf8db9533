public import Core

/// One secret to read by its Secrets Manager `SecretId` as written (a name, a full ARN or a partial ARN), optionally
/// pinned to a version stage or version id.
public struct ASMSecretRequest: Sendable, Hashable {
    /// The `SecretId`.
    public var secretId: String
    /// `VersionStage` (e.g. `AWSPREVIOUS`), nil for the current version.
    public var versionStage: String?
    /// `VersionId`, nil for the current version.
    public var versionId: String?

    /// Creates a request.
    public init(secretId: String, versionStage: String? = nil, versionId: String? = nil) {
        self.secretId = secretId
        self.versionStage = versionStage
        self.versionId = versionId
    }

    /// Whether a version is pinned (the batch API reads only the current version).
    var isPinned: Bool { !(versionStage ?? "").isEmpty || !(versionId ?? "").isEmpty }
}

/// Raw reads by `SecretId` for vals-style `ref+awssecrets` references: the `SecretString` exactly as stored, else
/// the decoded `SecretBinary` bytes.
extension ASMStore {
    /// The secrets of `requests`, in order. Unpinned ids go through `BatchGetSecretValue` (20 per call, batches in
    /// parallel, one call per id when the batch API is denied); pinned ones through `GetSecretValue` each.
    public func rawSecrets(_ requests: [ASMSecretRequest]) -> [Result<SecretBytes, CloakError>] {
        do throws(CloakError) {
            _ = try clients.read.credentials.credentials()
        } catch {
            return requests.map { _ in .failure(error) }
        }
        let client = clients.read
        var unique: [String] = []
        var seen = Set<String>()
        for r in requests where !r.isPinned && seen.insert(r.secretId).inserted { unique.append(r.secretId) }
        let batched = BatchRunner.run(names: unique, size: Self.batchSize, width: Self.parallelBatches) {
            (chunk: [String]) throws(CloakError) -> [String: Result<SecretValue, CloakError>] in
            try ASMStore.fetchRawBatch(chunk, client: client)
        }
        return requests.map { (r) -> Result<SecretBytes, CloakError> in
            if r.isPinned {
                do throws(CloakError) { return .success(try Self.rawOne(r, client: client)) } catch { return .failure(error) }
            }
            return (batched[r.secretId] ?? .failure(CloakError(.internal, "no result for secret \"\(r.secretId)\"")))
                .map(\.bytes)
        }
    }

    static func rawOne(_ r: ASMSecretRequest, client: AWSJSONClient) throws(CloakError) -> SecretBytes {
        try getSecretValue(
            r.secretId, versionStage: r.versionStage, versionId: r.versionId, client: client,
            notFound: "secretsmanager secret \"\(r.secretId)\" (or that version of it) not found",
            missingValue: "neither SecretString nor SecretBinary", extract: rawValue)
    }

    /// `SecretString` as stored, else `SecretBinary` decoded from base64.
    static func rawValue(_ item: JSONSpan, _ buf: UnsafeRawBufferPointer) -> SecretBytes? {
        if let r = item.member("SecretString", in: buf)?.stringRange, let raw = JSONScanner.secretString(buf, r) {
            return raw
        }
        if let r = item.member("SecretBinary", in: buf)?.stringRange {
            return AWSBase64.decodeSecret(UnsafeRawBufferPointer(rebasing: buf[r]))
        }
        return nil
    }

    /// Whether the secret `name`/`arn` answers to the id as written: its name, its ARN, or its ARN without the
    /// random six-character suffix (a partial ARN).
    static func answers(_ id: String, name: String?, arn: String?) -> Bool {
        if id == name || id == arn { return true }
        guard let arn, id.hasPrefix("arn:"), arn.hasPrefix(id + "-") else { return false }
        return arn.count == id.count + 7
    }

    static func fetchRawBatch(_ ids: [String], client: AWSJSONClient) throws(CloakError)
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
            for n in ids { w.string(n) }
            w.endArray()
            if let nextToken { w.field("NextToken", nextToken) }
            w.endObject()
            let what = "secretsmanager BatchGetSecretValue (\(ids.count) ids)"
            switch try client.call("BatchGetSecretValue", body: w.finish()) {
            case .failed(let code, let status, let attempts):
                if batchUnavailable.contains(code) && pages == 0 {
                    for id in ids {
                        do throws(CloakError) {
                            out[id] = .success(.text(try rawOne(ASMSecretRequest(secretId: id), client: client)))
                        } catch {
                            out[id] = .failure(error)
                        }
                    }
                    return out
                }
                throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
            case .ok(let response):
                let doc = try AWSJSONClient.parse(response, what)
                nextToken = doc.with { buf, root in
                    for item in root.member("SecretValues", in: buf)?.elements ?? [] {
                        let name = item.member("Name", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
                        let arn = item.member("ARN", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
                        guard let value = rawValue(item, buf) else { continue }
                        for id in ids where out[id] == nil && answers(id, name: name, arn: arn) {
                            out[id] = .success(.text(value))
                        }
                    }
                    for item in root.member("Errors", in: buf)?.elements ?? [] {
                        guard let ir = item.member("SecretId", in: buf)?.stringRange,
                            let id = JSONScanner.plainString(buf, ir)
                        else { continue }
                        let code = item.member("ErrorCode", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
                            .map(AWSErrorCode.clean) ?? "error"
                        if code == "ResourceNotFoundException" {
                            out[id] = .failure(CloakError(.notInitialized, "secretsmanager secret \"\(id)\" not found"))
                        } else {
                            out[id] = .failure(CloakError(.backend, "secretsmanager BatchGetSecretValue \"\(id)\": \(code)"))
                        }
                    }
                    return root.member("NextToken", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
                }
                response.body.reset()
            }
            pages += 1
        } while !(nextToken ?? "").isEmpty && pages < 50
        for id in ids where out[id] == nil {
            out[id] = .failure(CloakError(.notInitialized, "secretsmanager secret \"\(id)\" not found"))
        }
        return out
    }
}
