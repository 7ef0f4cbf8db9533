import Core

/// What every recipient stanza does with the file key once it has its one-time 32-byte wrap key: ChaCha20-Poly1305
/// with the all-zero nonce (age spec, "X25519 recipient type" and "scrypt recipient type").
enum AgeFileKeyWrap {
    private static let zeroNonce = [UInt8](repeating: 0, count: 12)

    /// The stanza body: `fileKey` sealed under `wrapKey`.
    static func seal(_ fileKey: SecretBytes, wrapKey: UnsafeMutableRawBufferPointer) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: fileKey.count + AgePrimitives.tagBytes)
        body.withUnsafeMutableBytes { out in
            fileKey.withUnsafeBytes {
                AgePrimitives.seal(key: UnsafeRawBufferPointer(wrapKey), nonce: zeroNonce, plaintext: $0, into: out)
            }
        }
        return body
    }

    /// The 16-byte file key from a stanza body, or nil when the body does not authenticate under `wrapKey`.
    static func open(_ body: [UInt8], wrapKey: UnsafeMutableRawBufferPointer) -> SecretBytes? {
        // SecretBytes' throwing fill would free its memory twice (Core), so failure is recorded, not thrown.
        var opened = false
        let fileKey = SecretBytes(count: 16) { out in
            opened = body.withUnsafeBytes {
                AgePrimitives.open(key: UnsafeRawBufferPointer(wrapKey), nonce: zeroNonce, ciphertext: $0, into: out)
            }
        }
        return opened ? fileKey : nil
    }

    /// HKDF-SHA-256 of the file key with an empty salt and `info` "header": the key of the header MAC.
    static func deriveHeaderMACKey(_ fileKey: SecretBytes, into macKey: UnsafeMutableRawBufferPointer) {
        fileKey.withUnsafeBytes {
            AgePrimitives.hkdfSHA256(ikm: $0, salt: UnsafeRawBufferPointer(start: nil, count: 0), info: "header", into: macKey)
        }
    }
}
