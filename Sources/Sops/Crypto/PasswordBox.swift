import CSodium
public import Core

/// Password-based authenticated encryption for files at rest (the keychain `file` backend): a 32-byte key is
/// derived with libsodium `crypto_pwhash` (Argon2id, interactive limits) from a password and a 16-byte salt, and
/// each message is sealed with `crypto_secretbox` (XSalsa20-Poly1305) under a fresh random 24-byte nonce.
public final class PasswordBox: Sendable {
    /// Salt length for `deriving`.
    public static let saltBytes = Int(crypto_pwhash_SALTBYTES)
    private static let nonceBytes = Int(crypto_secretbox_NONCEBYTES)
    private static let macBytes = Int(crypto_secretbox_MACBYTES)
    private let key: SecretBytes

    /// Derives the key (about 0.1 s and 64 MiB of memory).
    public init(password: SecretBytes, salt: [UInt8]) throws(CloakError) {
        guard salt.count == Self.saltBytes else { throw CloakError(.internal, "password box: bad salt length") }
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        key = try SecretBytes(count: Int(crypto_secretbox_KEYBYTES)) { (out) throws(CloakError) in
            let rc = password.withUnsafeBytes { pw in
                crypto_pwhash(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(out.count),
                    pw.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(pw.count), salt,
                    UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE), Int(crypto_pwhash_MEMLIMIT_INTERACTIVE),
                    crypto_pwhash_ALG_ARGON2ID13)
            }
            if rc != 0 { throw CloakError(.internal, "password box: key derivation ran out of memory") }
        }
    }

    /// A random salt.
    public static func randomSalt() -> [UInt8] {
        var s = [UInt8](repeating: 0, count: saltBytes)
        randombytes_buf(&s, s.count)
        return s
    }

    /// `nonce || secretbox(plaintext)`.
    public func seal(_ plaintext: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.nonceBytes + Self.macBytes + plaintext.count)
        out.withUnsafeMutableBytes { o in
            let base = o.baseAddress!.assumingMemoryBound(to: UInt8.self)
            randombytes_buf(base, Self.nonceBytes)
            key.withUnsafeBytes { k in
                _ = crypto_secretbox_easy(
                    base + Self.nonceBytes, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    UInt64(plaintext.count), base, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return out
    }

    /// Opens `nonce || box`; nil when the password is wrong or the data was altered.
    public func open(_ sealed: [UInt8]) -> SecretBytes? {
        guard sealed.count >= Self.nonceBytes + Self.macBytes else { return nil }
        let n = sealed.count - Self.nonceBytes - Self.macBytes
        return try? SecretBytes(count: n) { (out) throws(CloakError) in
            let rc = sealed.withUnsafeBytes { s in
                key.withUnsafeBytes { k in
                    let sb = s.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    return crypto_secretbox_open_easy(
                        out.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafeMutablePointer(mutating: sb),
                        sb + Self.nonceBytes, UInt64(n + Self.macBytes), sb,
                        k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
            if rc != 0 { throw CloakError(.decrypt, "password box: authentication failed") }
        }
    }
}
