import Core

/// Standard padded base64 (RFC 4648 §4) that reads from and writes to guarded memory, for KMS plaintexts.
enum AWSBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let table: [Int16] = {
        var t = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int16(i) }
        return t
    }()

    /// Appends the encoding of `input` to `out`.
    static func encode(_ input: UnsafeRawBufferPointer, into out: SecureBuffer) {
        var i = 0
        var quad = [UInt8](repeating: 0, count: 4)
        defer { for k in 0..<4 { quad[k] = 0 } }
        while i < input.count {
            let b0 = UInt32(input[i])
            let b1 = i + 1 < input.count ? UInt32(input[i + 1]) : 0
            let b2 = i + 2 < input.count ? UInt32(input[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            quad[0] = alphabet[Int(n >> 18 & 63)]
            quad[1] = alphabet[Int(n >> 12 & 63)]
            quad[2] = i + 1 < input.count ? alphabet[Int(n >> 6 & 63)] : 0x3D
            quad[3] = i + 2 < input.count ? alphabet[Int(n & 63)] : 0x3D
            quad.withUnsafeBytes { out.append($0) }
            i += 3
        }
    }

    /// Plain-text encoding (for non-secret bytes).
    static func encode(_ bytes: [UInt8]) -> String {
        let out = SecureBuffer(capacity: bytes.count * 4 / 3 + 8)
        bytes.withUnsafeBytes { encode($0, into: out) }
        return out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Decodes padded or unpadded base64 (whitespace ignored) into a secret; nil on a bad character.
    static func decodeSecret(_ input: UnsafeRawBufferPointer) -> SecretBytes? {
        let out = SecureBuffer(capacity: input.count * 3 / 4 + 4)
        var acc: UInt32 = 0
        var bits = 0
        var sawPad = false
        for c in input {
            if c == 0x3D {
                sawPad = true
                continue
            }
            if c == 0x0A || c == 0x0D || c == 0x20 { continue }
            let v = table[Int(c)]
            if v < 0 || sawPad { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(byte: UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        acc = 0
        return out.secret()
    }

    /// Decodes plain base64 text.
    static func decode(_ text: String) -> [UInt8]? {
        guard let s = Array(text.utf8).withUnsafeBytes({ decodeSecret($0) }) else { return nil }
        return s.withUnsafeBytes { Array($0) }
    }
}
