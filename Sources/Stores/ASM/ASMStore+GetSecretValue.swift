import Core

extension ASMStore {
    /// One `GetSecretValue` call: `SecretId` plus an optional stage or version, the value taken out of the response
    /// by `extract`. A missing secret is `.notInitialized` with the message `notFound`; a response without a value
    /// names `missingValue`.
    static func getSecretValue<T>(
        _ secretId: String, versionStage: String? = nil, versionId: String? = nil, client: AWSJSONClient,
        notFound: String, missingValue: String, extract: (JSONSpan, UnsafeRawBufferPointer) -> T?
    ) throws(CloakError) -> T {
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("SecretId", secretId)
        if let versionStage, !versionStage.isEmpty { w.field("VersionStage", versionStage) }
        if let versionId, !versionId.isEmpty { w.field("VersionId", versionId) }
        w.endObject()
        let what = "secretsmanager GetSecretValue \"\(secretId)\""
        switch try client.call("GetSecretValue", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            if code == "ResourceNotFoundException" { throw CloakError(.notInitialized, notFound) }
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            let doc = try AWSJSONClient.parse(response, what)
            let value = doc.with { buf, root in extract(root, buf) }
            response.body.reset()
            guard let value else { throw CloakError(.backend, "\(what): the response has \(missingValue)") }
            return value
        }
    }
}
