import CSodium

/// Streaming SHA-512 (the sops MAC) over libsodium; SHA-256 is Core's `SHA256`.
final class Digest {
    private var state = crypto_hash_sha512_state()

    /// A SHA-512 hasher.
    static func sha512() -> Digest { Digest() }

    private init() {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        _ = crypto_hash_sha512_init(&state)
    }

    /// Feeds bytes.
    func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        _ = crypto_hash_sha512_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count))
    }

    /// Feeds bytes.
    func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// Finishes and returns the digest.
    func finish() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha512_BYTES))
        _ = crypto_hash_sha512_final(&state, &out)
        return out
    }
}
