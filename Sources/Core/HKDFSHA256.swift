/// HKDF with SHA-256 (RFC 5869) over `HMACSHA256`: extract, then expand to `length` bytes of secret key material.
public enum HKDFSHA256 {
    /// The output key material for `ikm` (read in place, never copied out of the caller's buffer).
    public static func derive(
        ikm: UnsafeRawBufferPointer, salt: [UInt8] = [], info: [UInt8] = [], length: Int
    ) -> SecretBytes {
        precondition(length > 0 && length <= 255 * 32, "HKDF-SHA256 output length out of range")
        // RFC 5869 §2.2: an absent salt is HashLen zero bytes.
        let saltBytes = salt.isEmpty ? [UInt8](repeating: 0, count: 32) : salt
        var prk = saltBytes.withUnsafeBytes { s in HMACSHA256.mac(key: s, message: ikm) }
        defer { wipe(&prk) }
        return SecretBytes(count: length) { out in
            var previous: [UInt8] = []
            var filled = 0
            var counter: UInt8 = 1
            while filled < length {
                var input = previous + info + [counter]
                let block = prk.withUnsafeBytes { p in input.withUnsafeBytes { HMACSHA256.mac(key: p, message: $0) } }
                wipe(&input)
                wipe(&previous)
                let n = min(block.count, length - filled)
                block.withUnsafeBytes { out.baseAddress!.advanced(by: filled).copyMemory(from: $0.baseAddress!, byteCount: n) }
                // `previous` takes over the block's storage, so wiping it wipes the last block too.
                previous = block
                filled += n
                counter &+= 1
            }
            wipe(&previous)
        }
    }

    private static func wipe(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
    }
}
