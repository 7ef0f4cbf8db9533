import CLibCrypto

/// Streaming SHA-512 / SHA-256 over OpenSSL EVP.
final class Digest {
    private let ctx: OpaquePointer

    /// A SHA-512 hasher.
    static func sha512() -> Digest { Digest(EVP_sha512()) }
    /// A SHA-256 hasher.
    static func sha256() -> Digest { Digest(EVP_sha256()) }

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

extension Array where Element == UInt8 {
    /// Upper-case hex.
    var upperHex: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for b in self { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
