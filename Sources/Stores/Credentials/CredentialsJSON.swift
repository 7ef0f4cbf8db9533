import Core

/// The JSON credential documents of `credential_process`, the ECS container endpoint and IMDS:
/// `AccessKeyId`, `SecretAccessKey`, `Token` or `SessionToken`, `Expiration`.
enum CredentialsJSON {
    /// Parses credentials out of `buffer`; the error names `source` only.
    static func parse(_ buffer: UnsafeRawBufferPointer, source: String) throws(CloakError) -> AWSCredentials {
        guard let span = try? JSONScanner.parse(buffer) else {
            throw CloakError(.backend, "\(source): credentials are not valid JSON")
        }
        guard let idRange = span.member("AccessKeyId", in: buffer)?.stringRange,
            let id = JSONScanner.plainString(buffer, idRange), !id.isEmpty,
            let secretRange = span.member("SecretAccessKey", in: buffer)?.stringRange,
            let secret = JSONScanner.secretString(buffer, secretRange), secret.count > 0
        else {
            throw CloakError(.backend, "\(source): credentials lack AccessKeyId or SecretAccessKey")
        }
        var token: SecretBytes?
        for name in ["Token", "SessionToken"] {
            if let r = span.member(name, in: buffer)?.stringRange, let t = JSONScanner.secretString(buffer, r), t.count > 0 {
                token = t
                break
            }
        }
        var expiration: Int?
        if let r = span.member("Expiration", in: buffer)?.stringRange, let text = JSONScanner.plainString(buffer, r) {
            expiration = AmzDate.parse(text)
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: expiration, source: source)
    }
}
