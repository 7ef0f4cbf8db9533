import CLibCrypto

/// Streaming SHA-512 over OpenSSL EVP (the sops MAC); SHA-256 is Core's `SHA256`.
final class Digest {
    private let ctx: OpaquePointer

    /// A SHA-512 hasher.
    static func sha512() -> Digest { Digest(EVP_sha512()) }

    private init(_ md: OpaquePointer?) {
        ctx = EVP_MD_CTX_new()
        precondition(EVP_DigestInit_ex(ctx, md, nil) == 1, "EVP_DigestInit_ex failed")
    }

    deinit { EVP_MD_CTX_free(ctx) }

    /// Feeds bytes.
    func update(_ buffer: UnsafeRawBufferPointer) {
        if buffer.count > 0 { _ = EVP_DigestUpdate(ctx, buffer.baseAddress, buffer.count) }
    }

    /// Feeds bytes.
    func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// Finishes and returns the digest.
    func finish() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        var len: UInt32 = 0
        _ = EVP_DigestFinal_ex(ctx, &out, &len)
        return Array(out.prefix(Int(len)))
    }
}
