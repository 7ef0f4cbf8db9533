import Core
/// IVs remembered from decryption, keyed by a salted digest of (AAD, type, plaintext), so that re-encrypting an
/// unchanged value reproduces its ciphertext byte for byte (A.2). The plaintext itself is never stored.
public struct IVStash: Sendable {
    private let salt: [UInt8]
    private var ivs: [[UInt8]: [UInt8]] = [:]
    private let enabled: Bool

    /// An empty stash.
    public init() {
        salt = SecretBytes.randomPublic(count: 32)
        enabled = true
    }

    private init(disabled: Void) {
        salt = []
        enabled = false
    }

    /// A stash that remembers nothing: for files that are only read (a digest per value is wasted work there).
    public static var disabled: IVStash { IVStash(disabled: ()) }

    private func key(aad: String, leaf: SopsLeaf) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(salt)
        hasher.update(Array(aad.utf8) + [0] + Array(leaf.type.rawValue.utf8) + [0])
        leaf.bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finish()
    }

    /// Remembers the IV a value was encrypted with.
    mutating func remember(aad: String, leaf: SopsLeaf, iv: [UInt8]) {
        if enabled { ivs[key(aad: aad, leaf: leaf)] = iv }
    }

    /// The IV to reuse for this value, if it was seen on decryption.
    func iv(aad: String, leaf: SopsLeaf) -> [UInt8]? { enabled ? ivs[key(aad: aad, leaf: leaf)] : nil }

    /// Number of remembered values.
    public var count: Int { ivs.count }
}
