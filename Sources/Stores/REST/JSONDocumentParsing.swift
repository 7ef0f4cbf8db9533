import Core

extension JSONDocument {
    /// Parses secret bytes (a credentials file) as a document kept in guarded memory.
    static func parse(_ bytes: SecretBytes, _ what: String) throws(CloakError) -> JSONDocument {
        let buffer = SecureBuffer(capacity: bytes.count + 1)
        buffer.append(bytes)
        return try AWSJSONClient.parse(HTTPResponse(status: 200, body: buffer), what)
    }
}

/// Unpadded base64url (RFC 4648 §5), for JWTs.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var s = AWSBase64.encode(bytes)
        while s.hasSuffix("=") { s.removeLast() }
        return String(s.map { c -> Character in c == "+" ? "-" : (c == "/" ? "_" : c) })
    }
}
