public import Core

/// Raw reads for vals-style `ref+gcpsecrets` references: any project's secret, any version, the payload as stored.
extension GCPSecretManagerStore {
    /// The payload of `projects/<project>/secrets/<secret>/versions/<version>` (`latest` or a number), checked
    /// against its CRC32C; a missing secret or version is a `.notInitialized` error naming it.
    public func accessPayload(project: String, secret: String, version: String) throws(CloakError) -> SecretBytes {
        var base = options.endpoint ?? "https://secretmanager.googleapis.com"
        while base.hasSuffix("/") { base.removeLast() }
        let name = "projects/\(project)/secrets/\(secret)/versions/\(version)"
        let url =
            base + "/v1/projects/" + URIEncoding.encode(project) + "/secrets/" + URIEncoding.encode(secret)
            + "/versions/" + URIEncoding.encode(version) + ":access"
        let what = "gcp secretmanager access \"\(name)\""
        var headers: [(name: String, value: String)] = []
        if !options.withoutAuthentication { headers.append(try credentials.token().bearerHeader()) }
        let response = try rest.send("GET", url, headers: headers, what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notInitialized, "gcp secret \"\(name)\" not found")
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
            guard UInt32(crc) == data.withUnsafeBytes({ CRC32C.checksum($0) }) else {
                throw CloakError(.backend, "\(what): the payload checksum does not match")
            }
        }
        return data
    }
}
