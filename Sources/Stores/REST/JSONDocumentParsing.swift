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

    /// Decodes base64url (padded or not) into a secret; nil on a bad character.
    static func decodeSecret(_ input: UnsafeRawBufferPointer) -> SecretBytes? {
        let std = SecureBuffer(capacity: input.count + 4)
        for b in input { std.append(byte: b == 0x2D ? 0x2B : (b == 0x5F ? 0x2F : b)) }
        defer { std.reset() }
        return std.withUnsafeBytes { AWSBase64.decodeSecret($0) }
    }
}
