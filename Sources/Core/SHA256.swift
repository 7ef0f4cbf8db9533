internal import CSodium

/// SHA-256 (FIPS 180-4) over libsodium's `crypto_hash_sha256`, in one call or fed piece by piece.
public struct SHA256 {
    /// Length of a digest in bytes.
    public static let byteCount = 32

    private var state = crypto_hash_sha256_state()

    /// A fresh hasher.
    public init() {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        _ = crypto_hash_sha256_init(&state)
    }

    /// Feeds bytes.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        _ = crypto_hash_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count))
    }

    /// Feeds bytes.
    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The digest of everything fed so far.
    public consuming func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.byteCount)
        _ = crypto_hash_sha256_final(&state, &digest)
        return digest
    }

    /// The digest of `bytes`.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finish()
    }

    /// The digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBytes { digest($0) } }

    /// The digest of `bytes` as lower-case hex (what `sha256sum` prints).
    public static func hexDigest(_ bytes: [UInt8]) -> String { Hex.encode(digest(bytes)) }
}
