import Core

/// age's STREAM payload encryption: 64 KiB chunks, ChaCha20-Poly1305, nonce = 11-byte big-endian counter plus a
/// last-chunk flag.
enum AgeStream {
    static let chunkSize = 64 * 1024
    static let sealedChunkSize = chunkSize + AgePrimitives.tagBytes
    static let nonceSize = 16

    private static func chunkNonce(_ counter: Int, last: Bool) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        var c = UInt64(counter)
        for i in stride(from: 10, through: 3, by: -1) {
            nonce[i] = UInt8(truncatingIfNeeded: c)
            c >>= 8
        }
        nonce[11] = last ? 1 : 0
        return nonce
    }

    /// Derives the payload key from the file key and the 16-byte nonce, into `out` (32 bytes).
    static func payloadKey(fileKey: SecretBytes, nonce: some Collection<UInt8>, into out: UnsafeMutableRawBufferPointer)
    {
        let salt = Array(nonce)
        fileKey.withUnsafeBytes { ikm in
            salt.withUnsafeBytes { AgePrimitives.hkdfSHA256(ikm: ikm, salt: $0, info: "payload", into: out) }
        }
    }

    /// Appends the sealed chunks of `plaintext` to `out`.
    static func seal(_ plaintext: SecretBytes, key: UnsafeRawBufferPointer, appendingTo out: inout [UInt8]) {
        let chunks = max(1, (plaintext.count + chunkSize - 1) / chunkSize)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: plaintext.count + chunks * AgePrimitives.tagBytes))
        plaintext.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { output in
                for index in 0..<chunks {
                    let from = index * chunkSize
                    let to = min(from + chunkSize, input.count)
                    let target = start + index * sealedChunkSize
                    AgePrimitives.seal(
                        key: key,
                        nonce: chunkNonce(index, last: index == chunks - 1),
                        plaintext: UnsafeRawBufferPointer(rebasing: input[from..<to]),
                        into: UnsafeMutableRawBufferPointer(
                            rebasing: output[target..<(target + to - from + AgePrimitives.tagBytes)]
                        )
                    )
                }
            }
        }
    }

    /// Opens a whole payload (without its nonce) into guarded memory; any authentication failure, truncation or
    /// trailing data is an error and releases nothing.
    static func open(_ payload: ArraySlice<UInt8>, key: UnsafeRawBufferPointer) throws(CloakError) -> SecretBytes {
        guard !payload.isEmpty else { throw CloakError.age(.payload, " is truncated (no chunks)") }
        // A successful open has full chunks followed by one final chunk, so the size is known up front.
        let chunks = (payload.count + sealedChunkSize - 1) / sealedChunkSize
        let lastSealed = payload.count - (chunks - 1) * sealedChunkSize
        guard lastSealed >= AgePrimitives.tagBytes else {
            throw CloakError.age(.payload, " is truncated (short final chunk)")
        }
        let plaintextCount = payload.count - chunks * AgePrimitives.tagBytes
        // Failure is recorded rather than thrown from the fill closure: SecretBytes' throwing fill would free its
        // memory twice (Core). On failure the partly written plaintext is wiped when `plaintext` is released.
        var failure: CloakError?
        let plaintext = SecretBytes(count: plaintextCount) { output in
            failure = payload.withUnsafeBytes { input -> CloakError? in
                for index in 0..<chunks {
                    let from = index * sealedChunkSize
                    let to = min(from + sealedChunkSize, input.count)
                    let sealed = UnsafeRawBufferPointer(rebasing: input[from..<to])
                    let target = index * chunkSize
                    let plain = UnsafeMutableRawBufferPointer(
                        rebasing: output[target..<(target + sealed.count - AgePrimitives.tagBytes)]
                    )
                    let isLast = index == chunks - 1
                    if isLast {
                        if sealed.count == AgePrimitives.tagBytes && index > 0 {
                            return CloakError.age(.payload, " has an empty final chunk after a full one")
                        }
                        guard
                            AgePrimitives.open(
                                key: key,
                                nonce: chunkNonce(index, last: true),
                                ciphertext: sealed,
                                into: plain
                            )
                        else {
                            // A full-size chunk that opens as non-final means the final chunk is missing.
                            if sealed.count == sealedChunkSize,
                                AgePrimitives.open(
                                    key: key,
                                    nonce: chunkNonce(index, last: false),
                                    ciphertext: sealed,
                                    into: plain
                                )
                            {
                                return CloakError.age(.payload, " is truncated (missing final chunk)")
                            }
                            return CloakError.age(.payload, " authentication failed (chunk \(index))")
                        }
                    } else {
                        guard
                            AgePrimitives.open(
                                key: key,
                                nonce: chunkNonce(index, last: false),
                                ciphertext: sealed,
                                into: plain
                            )
                        else {
                            if AgePrimitives.open(
                                key: key,
                                nonce: chunkNonce(index, last: true),
                                ciphertext: sealed,
                                into: plain
                            ) {
                                return CloakError.age(.payload, " has trailing data after the final chunk")
                            }
                            return CloakError.age(.payload, " authentication failed (chunk \(index))")
                        }
                    }
                }
                return nil
            }
        }
        if let failure { throw failure }
        return plaintext
    }
}
