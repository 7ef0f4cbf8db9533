import Core

/// The `scrypt` (passphrase) recipient stanza (age spec, "scrypt recipient type").
enum ScryptStanza {
    static let type = "scrypt"
    private static let saltLabel = Array("age-encryption.org/v1/scrypt".utf8)

    /// Wraps `fileKey` under `passphrase` with a fresh 16-byte salt and work factor `logN`.
    static func wrap(_ fileKey: SecretBytes, passphrase: SecretBytes, logN: Int) throws(CloakError) -> AgeStanza {
        let salt = SecretBytes.randomPublic(count: 16)
        let body = try AgePrimitives.withScratch(32) { wrapKey throws(CloakError) -> [UInt8] in
            let derived = passphrase.withUnsafeBytes {
                AgePrimitives.scrypt(password: $0, salt: saltLabel + salt, logN: logN, into: wrapKey)
            }
            guard derived else { throw CloakError(.internal, "age: scrypt failed (work factor \(logN))") }
            return AgeFileKeyWrap.seal(fileKey, wrapKey: wrapKey)
        }
        let saltText = Base64.encode(salt, padded: false)
        return AgeStanza(type: type, arguments: [saltText, String(logN)], body: body)
    }

    /// Unwraps the file key with `passphrase`: nil for a wrong passphrase, an error for a malformed stanza or a
    /// work factor above `maxWorkFactor`.
    static func unwrap(_ stanza: AgeStanza, passphrase: SecretBytes, maxWorkFactor: Int) throws(CloakError)
        -> SecretBytes?
    {
        guard stanza.arguments.count == 2 else {
            throw CloakError.age(.header, ": scrypt stanza must have exactly two arguments")
        }
        guard let salt = Base64.decode(stanza.arguments[0], padded: false), salt.count == 16 else {
            throw CloakError.age(.header, ": scrypt salt is not 16 canonical base64 bytes")
        }
        let logN = try parseWorkFactor(stanza.arguments[1])
        guard logN <= maxWorkFactor else {
            throw CloakError.age(
                .workFactor,
                " (\(logN) > \(maxWorkFactor)); refusing to spend that much time and memory"
            )
        }
        guard stanza.body.count == 32 else { throw CloakError.age(.header, ": scrypt stanza body is not 32 bytes") }
        return try AgePrimitives.withScratch(32) { wrapKey throws(CloakError) -> SecretBytes? in
            let derived = passphrase.withUnsafeBytes {
                AgePrimitives.scrypt(password: $0, salt: saltLabel + salt, logN: logN, into: wrapKey)
            }
            guard derived else { throw CloakError(.internal, "age: scrypt failed (work factor \(logN))") }
            return AgeFileKeyWrap.open(stanza.body, wrapKey: wrapKey)
        }
    }

    // Decimal without sign or leading zero (`^[1-9][0-9]*$`), bounded so it cannot overflow.
    private static func parseWorkFactor(_ text: String) throws(CloakError) -> Int {
        let digits = Array(text.utf8)
        guard let first = digits.first, first >= 0x31, first <= 0x39,
            digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { throw CloakError.age(.header, ": scrypt work factor is not a positive decimal number") }
        if digits.count > 2 { throw CloakError.age(.workFactor, " (\(text))") }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return value
    }
}
