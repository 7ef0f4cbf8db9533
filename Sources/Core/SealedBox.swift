import CSodium

/// libsodium's anonymous sealed box (`crypto_box_seal`: an ephemeral X25519 key, XSalsa20-Poly1305): what GitHub
/// expects for Actions secrets, encrypted to the repository's or environment's public key.
public enum SealedBox {
    /// The sealed box of `message` for the 32-byte X25519 `publicKey`; nil when the key has the wrong size.
    public static func seal(_ message: SecretBytes, to publicKey: [UInt8]) -> [UInt8]? {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        guard publicKey.count == Int(crypto_box_publickeybytes()) else { return nil }
        var out = [UInt8](repeating: 0, count: message.count + Int(crypto_box_sealbytes()))
        let rc = message.withUnsafeBytes { m in
            out.withUnsafeMutableBufferPointer { o in
                crypto_box_seal(
                    o.baseAddress!, m.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(o.baseAddress!),
                    UInt64(m.count), publicKey)
            }
        }
        return rc == 0 ? out : nil
    }
}
