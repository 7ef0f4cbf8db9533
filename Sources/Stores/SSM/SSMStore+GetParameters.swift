import Core

extension SSMStore {
    /// One `GetParameters` call for up to ten names, decrypted. Each returned value goes through `decode`; a name
    /// the response does not list is `.notInitialized` with the message `notFound(name)`.
    static func getParameters(
        _ names: [String], client: AWSJSONClient, notFound: (String) -> String, decode: (SecretBytes) -> SecretValue
    ) throws(CloakError) -> [String: Result<SecretValue, CloakError>] {
        let w = JSONBodyWriter()
        w.beginObject()
        w.key("Names")
        w.beginArray()
        for n in names { w.string(n) }
        w.endArray()
        w.key("WithDecryption")
        w.bool(true)
        w.endObject()
        let what = "ssm GetParameters (\(names.count) names)"
        switch try client.call("GetParameters", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            let doc = try AWSJSONClient.parse(response, what)
            var out: [String: Result<SecretValue, CloakError>] = [:]
            doc.with { buf, root in
                for item in root.member("Parameters", in: buf)?.elements ?? [] {
                    guard let nr = item.member("Name", in: buf)?.stringRange, let name = JSONScanner.plainString(buf, nr),
                        let vr = item.member("Value", in: buf)?.stringRange, let raw = JSONScanner.secretString(buf, vr)
                    else { continue }
                    out[name] = .success(decode(raw))
                }
            }
            response.body.reset()
            for n in names where out[n] == nil {
                out[n] = .failure(CloakError(.notInitialized, notFound(n)))
            }
            return out
        }
    }
}
