import Core
/// IVs remembered from decryption, keyed by a salted digest of (AAD, type, plaintext), so that re-encrypting an
/// unchanged value reproduces its ciphertext byte for byte (A.2). The plaintext itself is never stored.
public struct IVStash: Sendable {
    private let salt: [UInt8]
    private var ivs: [[UInt8]: [UInt8]] = [:]

    /// An empty stash.
    public init() {
        var s = [UInt8](repeating: 0, count: 32)
        let r = SecretBytesRandom.fill(&s)
        salt = r
    }

    private func key(aad: String, leaf: SopsLeaf) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(salt)
        hasher.update(Array(aad.utf8) + [0] + Array(leaf.type.rawValue.utf8) + [0])
        leaf.bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finish()
    }

    /// Remembers the IV a value was encrypted with.
    mutating func remember(aad: String, leaf: SopsLeaf, iv: [UInt8]) { ivs[key(aad: aad, leaf: leaf)] = iv }

    /// The IV to reuse for this value, if it was seen on decryption.
    func iv(aad: String, leaf: SopsLeaf) -> [UInt8]? { ivs[key(aad: aad, leaf: leaf)] }

    /// Number of remembered values.
    public var count: Int { ivs.count }
}

import CSodium

enum SecretBytesRandom {
    static func fill(_ bytes: inout [UInt8]) -> [UInt8] {
        _ = sodium_init()
        bytes.withUnsafeMutableBytes { if let p = $0.baseAddress { randombytes_buf(p, $0.count) } }
        return bytes
    }
}
