import Core

/// The `X25519` recipient stanza (age spec, "X25519 recipient type").
enum X25519Stanza {
    static let type = "X25519"
    private static let info = "age-encryption.org/v1/X25519"

    /// Wraps `fileKey` to `recipient` with a fresh ephemeral key.
    static func wrap(_ fileKey: SecretBytes, to recipient: AgeRecipient) throws(CloakError) -> AgeStanza {
        let ephemeral = SecretBytes.random(count: 32)
        let share = ephemeral.withUnsafeBytes { AgePrimitives.x25519Base(scalar: $0) }
        let body = try AgePrimitives.withScratch(64) { scratch throws(CloakError) -> [UInt8] in
            let shared = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<32])
            let wrapKey = UnsafeMutableRawBufferPointer(rebasing: scratch[32..<64])
            let ok = ephemeral.withUnsafeBytes { e in
                recipient.publicKey.withUnsafeBytes { AgePrimitives.x25519(scalar: e, point: $0, into: shared) }
            }
            guard ok else { throw CloakError.ageKey("recipient \(recipient) is a low-order point") }
            deriveWrapKey(
                shared: UnsafeRawBufferPointer(shared),
                share: share,
                recipient: recipient.publicKey,
                into: wrapKey
            )
            return AgeFileKeyWrap.seal(fileKey, wrapKey: wrapKey)
        }
        return AgeStanza(
            type: type,
            arguments: [Base64.encode(share, padded: false)],
            body: body
        )
    }

    /// Tries to unwrap the file key from `stanza` with `identity`: nil if the stanza is for someone else, an error
    /// if the stanza is malformed.
    static func unwrap(_ stanza: AgeStanza, with identity: AgeIdentity) throws(CloakError) -> SecretBytes? {
        guard stanza.arguments.count == 1 else {
            throw CloakError.age(.header, ": X25519 stanza must have exactly one argument")
        }
        guard let share = Base64.decode(stanza.arguments[0], padded: false), share.count == 32 else {
            throw CloakError.age(.header, ": X25519 stanza share is not 32 canonical base64 bytes")
        }
        guard stanza.body.count == 32 else { throw CloakError.age(.header, ": X25519 stanza body is not 32 bytes") }
        return try AgePrimitives.withScratch(64) { scratch throws(CloakError) -> SecretBytes? in
            let shared = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<32])
            let wrapKey = UnsafeMutableRawBufferPointer(rebasing: scratch[32..<64])
            let ok = identity.scalar.withUnsafeBytes { s in
                share.withUnsafeBytes { AgePrimitives.x25519(scalar: s, point: $0, into: shared) }
            }
            guard ok else { throw CloakError.age(.header, ": X25519 stanza share is a low-order point") }
            deriveWrapKey(
                shared: UnsafeRawBufferPointer(shared),
                share: share,
                recipient: identity.recipient.publicKey,
                into: wrapKey
            )
            return AgeFileKeyWrap.open(stanza.body, wrapKey: wrapKey)
        }
    }

    private static func deriveWrapKey(
        shared: UnsafeRawBufferPointer,
        share: [UInt8],
        recipient: [UInt8],
        into out: UnsafeMutableRawBufferPointer
    ) {
        let salt = share + recipient
        salt.withUnsafeBytes { AgePrimitives.hkdfSHA256(ikm: shared, salt: $0, info: info, into: out) }
    }
}
