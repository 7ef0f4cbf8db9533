import CCrypto
import Sops
public import Core

/// The client half of the Secret Service's `dh-ietf1024-sha256-aes128-cbc-pkcs7` session: a Diffie-Hellman key
/// pair in the RFC 2409 1024-bit MODP group (generator 2), and the AES-128 key both sides derive from the shared
/// value with HKDF-SHA256 (no salt, no info).
public final class SecretServiceDH {
    /// The algorithm name `OpenSession` takes.
    public static let algorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7"
    /// Bytes in the group's prime, and so in the padded shared value.
    static let primeBytes = 128

    private let prime: OpaquePointer
    private let privateKey: OpaquePointer
    /// Our public value, big-endian without leading zeros (as `OpenSession` sends it).
    public let publicKey: [UInt8]

    /// A fresh key pair from the CSPRNG.
    public convenience init() throws(CloakError) {
        let random = SecretBytes.random(count: Self.primeBytes)
        try self.init(privateKey: random)
    }

    /// A key pair with a given private exponent, big-endian (tests use known values).
    public init(privateKey bytes: SecretBytes) throws(CloakError) {
        try LibCrypto.load()
        guard let p = ccrypto_BN_get_rfc2409_prime_1024(nil) else { throw Self.failure("the RFC 2409 prime") }
        guard let x = ccrypto_BN_secure_new() else {
            ccrypto_BN_free(p)
            throw Self.failure("a private key")
        }
        prime = p
        privateKey = x
        ccrypto_BN_set_flags(x, BN_FLG_CONSTTIME)
        let ok = bytes.withUnsafeBytes { ccrypto_BN_bin2bn($0.bindMemory(to: UInt8.self).baseAddress, Int32($0.count), x) }
        guard ok != nil, let g = ccrypto_BN_new(), let y = ccrypto_BN_new(), let ctx = ccrypto_BN_CTX_secure_new() else {
            throw Self.failure("the public key")
        }
        defer {
            ccrypto_BN_free(g)
            ccrypto_BN_free(y)
            ccrypto_BN_CTX_free(ctx)
        }
        ccrypto_BN_set_word(g, 2)
        guard ccrypto_BN_mod_exp(y, g, x, p, ctx) == 1 else { throw Self.failure("the public key") }
        publicKey = Self.bytes(y, padded: 0)
    }

    deinit {
        ccrypto_BN_clear_free(privateKey)
        ccrypto_BN_free(prime)
    }

    private static func failure(_ what: String) -> CloakError {
        CloakError(.internal, "keychain: OpenSSL could not compute \(what) for the Secret Service session")
    }

    private static func bytes(_ n: OpaquePointer, padded: Int) -> [UInt8] {
        let count = max(padded, (Int(ccrypto_BN_num_bits(n)) + 7) / 8)
        var out = [UInt8](repeating: 0, count: count)
        _ = out.withUnsafeMutableBufferPointer { ccrypto_BN_bn2binpad(n, $0.baseAddress, Int32(count)) }
        return out
    }

    /// The 16-byte AES key shared with the service whose public value is `serverPublicKey`; throws for a value
    /// outside 2…p-2 (which would make the shared value guessable).
    public func sessionKey(serverPublicKey: [UInt8]) throws(CloakError) -> SecretBytes {
        guard let y = ccrypto_BN_new(), let upper = ccrypto_BN_dup(prime), let shared = ccrypto_BN_secure_new(), let ctx = ccrypto_BN_CTX_secure_new()
        else { throw Self.failure("the shared key") }
        defer {
            ccrypto_BN_free(y)
            ccrypto_BN_free(upper)
            ccrypto_BN_clear_free(shared)
            ccrypto_BN_CTX_free(ctx)
        }
        _ = serverPublicKey.withUnsafeBufferPointer { ccrypto_BN_bin2bn($0.baseAddress, Int32($0.count), y) }
        ccrypto_BN_sub_word(upper, 1)
        guard ccrypto_BN_cmp(y, ccrypto_BN_value_one()) > 0, ccrypto_BN_cmp(y, upper) < 0 else {
            throw CloakError(.backend, "keychain: the Secret Service sent an invalid session public key")
        }
        guard ccrypto_BN_mod_exp(shared, y, privateKey, prime, ctx) == 1 else { throw Self.failure("the shared key") }
        var ikm = Self.bytes(shared, padded: Self.primeBytes)
        defer { for i in ikm.indices { ikm[i] = 0 } }
        return ikm.withUnsafeBytes { HKDFSHA256.derive(ikm: $0, length: 16) }
    }
}
