public import Core

/// Raw reads for vals-style `ref+awsssm` references: parameters by their full name, exactly as stored (unlike
/// `get`, a value that is a JSON string keeps its quotes), a given version, and every parameter under a path.
extension SSMStore {
    /// Parameters by full name (`GetParameters`, 10 names per call, batches in parallel, decrypted), in `names`
    /// order; a missing name is a `.notInitialized` failure naming it.
    public func rawValues(_ names: [String]) -> [Result<SecretBytes, CloakError>] {
        var unique: [String] = []
        var seen = Set<String>()
        for n in names where seen.insert(n).inserted { unique.append(n) }
        do throws(CloakError) {
            _ = try clients.read.credentials.credentials()
        } catch {
            return names.map { _ in .failure(error) }
        }
        let client = clients.read
        let results = BatchRunner.run(names: unique, size: Self.batchSize, width: Self.parallelBatches) {
            (chunk: [String]) throws(CloakError) -> [String: Result<SecretValue, CloakError>] in
            try SSMStore.fetchRawBatch(chunk, client: client)
        }
        return names.map { n in
            (results[n] ?? .failure(CloakError(.internal, "no result for parameter \"\(n)\""))).map(\.bytes)
        }
    }

    static func fetchRawBatch(_ names: [String], client: AWSJSONClient) throws(CloakError)
        -> [String: Result<SecretValue, CloakError>]
    {
        try getParameters(names, client: client, notFound: { "ssm parameter \"\($0)\" not found" }, decode: { .text($0) })
    }

    /// One version of a parameter (`GetParameter` with the selector `name:version`, decrypted).
    public func rawValue(_ name: String, version: Int) throws(CloakError) -> SecretBytes {
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("Name", "\(name):\(version)")
        w.key("WithDecryption")
        w.bool(true)
        w.endObject()
        let what = "ssm GetParameter \"\(name)\" version \(version)"
        switch try clients.read.call("GetParameter", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            if code == "ParameterNotFound" || code == "ParameterVersionNotFound" {
                throw CloakError(.notInitialized, "ssm parameter \"\(name)\" has no version \(version)")
            }
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            let doc = try AWSJSONClient.parse(response, what)
            let raw = doc.with { buf, root in
                root.member("Parameter", in: buf)?.member("Value", in: buf)?.stringRange.flatMap {
                    JSONScanner.secretString(buf, $0)
                }
            }
            response.body.reset()
            guard let raw else { throw CloakError(.backend, "\(what): the response has no Parameter.Value") }
            return raw
        }
    }

    /// Every parameter under `path` (`GetParametersByPath`, decrypted, every page), with its full name; only the
    /// direct children unless `recursive`.
    public func parametersByPath(_ path: String, recursive: Bool) throws(CloakError) -> [(name: String, value: SecretBytes)] {
        var out: [(name: String, value: SecretBytes)] = []
        var nextToken: String?
        var pages = 0
        let what = "ssm GetParametersByPath \"\(path)\""
        repeat {
            let w = JSONBodyWriter()
            w.beginObject()
            w.field("Path", path)
            w.key("Recursive")
            w.bool(recursive)
            w.key("WithDecryption")
            w.bool(true)
            if let nextToken { w.field("NextToken", nextToken) }
            w.endObject()
            switch try clients.read.call("GetParametersByPath", body: w.finish()) {
            case .failed(let code, let status, let attempts):
                throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
            case .ok(let response):
                let doc = try AWSJSONClient.parse(response, what)
                nextToken = doc.with { buf, root in
                    for item in root.member("Parameters", in: buf)?.elements ?? [] {
                        guard let nr = item.member("Name", in: buf)?.stringRange,
                            let name = JSONScanner.plainString(buf, nr),
                            let vr = item.member("Value", in: buf)?.stringRange,
                            let raw = JSONScanner.secretString(buf, vr)
                        else { continue }
                        out.append((name, raw))
                    }
                    return root.member("NextToken", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
                }
                response.body.reset()
            }
            pages += 1
        } while !(nextToken ?? "").isEmpty && pages < 1000
        return out
    }
}
