internal import CSodium

/// The handful of primitives age is built from, over raw buffers so secrets stay in caller-owned memory.
enum AgePrimitives {
    static let keyBytes = 32
    static let tagBytes = 16

    /// Runs `body` with a zero-filled scratch buffer that is wiped afterwards.
    static func withScratch<R, E: Error>(
        _ count: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        defer {
            sodium_memzero(buffer.baseAddress, buffer.count)
            buffer.deallocate()
        }
        sodium_memzero(buffer.baseAddress, buffer.count)
        return try body(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// A non-null byte pointer for `buffer` (libsodium's parameters are `nonnull` even when the length is 0).
    static func ptr(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        if let base = buffer.baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
        return UnsafePointer(emptyStorage)
    }

    /// A non-null mutable byte pointer for `buffer`.
    static func ptr(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8> {
        if let base = buffer.baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
        return emptyStorage
    }

    // Target for empty buffers; nothing is ever read from or written to it.
    nonisolated(unsafe) private static let emptyStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)

    /// Wipes an array in place and empties it.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
        bytes.removeAll()
    }

    /// HKDF-SHA-256 (RFC 5869) producing exactly 32 bytes into `out`. libsodium 1.0.18 has no HKDF, and one
    /// expand block needs only two HMACs, so it is built on `crypto_auth_hmacsha256`.
    static func hkdfSHA256(
        ikm: UnsafeRawBufferPointer,
        salt: UnsafeRawBufferPointer,
        info: String,
        into out: UnsafeMutableRawBufferPointer
    ) {
        precondition(out.count == 32, "hkdfSHA256 produces exactly 32 bytes")
        withScratch(32) { prk in
            var state = crypto_auth_hmacsha256_state()
            defer { withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) } }
            // Extract: PRK = HMAC(salt, IKM); an empty salt is an empty HMAC key, which RFC 5869 pads to zeros.
            _ = crypto_auth_hmacsha256_init(&state, ptr(salt), salt.count)
            _ = crypto_auth_hmacsha256_update(
                &state,
                ptr(ikm),
                UInt64(ikm.count)
            )
            _ = crypto_auth_hmacsha256_final(&state, ptr(prk))
            // Expand, first and only block: T(1) = HMAC(PRK, info || 0x01).
            _ = crypto_auth_hmacsha256_init(&state, ptr(prk), 32)
            var infoBytes = Array(info.utf8)
            infoBytes.append(1)
            _ = crypto_auth_hmacsha256_update(&state, infoBytes, UInt64(infoBytes.count))
            _ = crypto_auth_hmacsha256_final(&state, ptr(out))
        }
    }

    /// HMAC-SHA-256 of `message` under a 32-byte key.
    static func hmacSHA256(key: UnsafeRawBufferPointer, message: [UInt8]) -> [UInt8] {
        precondition(key.count == 32)
        var mac = [UInt8](repeating: 0, count: 32)
        _ = crypto_auth_hmacsha256(&mac, message, UInt64(message.count), ptr(key))
        return mac
    }

    /// Constant-time check of an HMAC-SHA-256 tag.
    static func verifyHMACSHA256(key: UnsafeRawBufferPointer, message: [UInt8], tag: [UInt8]) -> Bool {
        guard key.count == 32, tag.count == 32 else { return false }
        return crypto_auth_hmacsha256_verify(
            tag,
            message,
            UInt64(message.count),
            ptr(key)
        ) == 0
    }

    /// ChaCha20-Poly1305 (IETF) seal: writes `plaintext.count + 16` bytes to `out`.
    static func seal(
        key: UnsafeRawBufferPointer,
        nonce: [UInt8],
        plaintext: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) {
        precondition(key.count == 32 && nonce.count == 12 && out.count == plaintext.count + tagBytes)
        var written: UInt64 = 0
        _ = crypto_aead_chacha20poly1305_ietf_encrypt(
            ptr(out),
            &written,
            ptr(plaintext),
            UInt64(plaintext.count),
            nil,
            0,
            nil,
            nonce,
            ptr(key)
        )
    }

    /// ChaCha20-Poly1305 (IETF) open: writes `ciphertext.count - 16` bytes to `out`; false if authentication fails.
    static func open(
        key: UnsafeRawBufferPointer,
        nonce: [UInt8],
        ciphertext: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(key.count == 32 && nonce.count == 12)
        guard ciphertext.count >= tagBytes, out.count == ciphertext.count - tagBytes else { return false }
        var written: UInt64 = 0
        return crypto_aead_chacha20poly1305_ietf_decrypt(
            ptr(out),
            &written,
            nil,
            ptr(ciphertext),
            UInt64(ciphertext.count),
            nil,
            0,
            nonce,
            ptr(key)
        ) == 0
    }

    /// X25519 of `scalar` and `point`; false when the result is all zeros (a low-order point).
    static func x25519(
        scalar: UnsafeRawBufferPointer,
        point: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(scalar.count == 32 && point.count == 32 && out.count == 32)
        return crypto_scalarmult(
            ptr(out),
            ptr(scalar),
            ptr(point)
        ) == 0
    }

    /// X25519 of `scalar` and the base point: the public key.
    static func x25519Base(scalar: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(scalar.count == 32)
        var out = [UInt8](repeating: 0, count: 32)
        _ = crypto_scalarmult_base(&out, ptr(scalar))
        return out
    }

    /// scrypt(password, salt, N = 2^logN, r = 8, p = 1) into `out`; false if libsodium refuses (e.g. out of memory).
    static func scrypt(
        password: UnsafeRawBufferPointer,
        salt: [UInt8],
        logN: Int,
        into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        // libsodium wants a non-null password pointer even for an empty password.
        withScratch(max(password.count, 1)) { scratch in
            if let base = password.baseAddress, password.count > 0 {
                scratch.baseAddress?.copyMemory(from: base, byteCount: password.count)
            }
            return crypto_pwhash_scryptsalsa208sha256_ll(
                ptr(scratch),
                password.count,
                salt,
                salt.count,
                UInt64(1) << UInt64(logN),
                8,
                1,
                ptr(out),
                out.count
            ) == 0
        }
    }
}
