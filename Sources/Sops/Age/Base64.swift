/// Standard-alphabet base64 (RFC 4648 §4) with the strictness age needs: canonical only (zero padding bits),
/// no whitespace, raw (unpadded) for header fields and padded for armor.
enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Encodes `bytes`; `padded` adds `=` to a multiple of four characters.
    static func encode(_ bytes: some Collection<UInt8>, padded: Bool) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            out.append(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest == 1 {
            let v = UInt32(input[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            if padded { out.append(contentsOf: [0x3D, 0x3D]) }
        } else if rest == 2 {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            if padded { out.append(0x3D) }
        }
        return out
    }

    /// Decodes unpadded base64; nil on any non-alphabet byte (including `=`), impossible length, or non-zero
    /// trailing bits.
    static func decodeRaw(_ chars: some Collection<UInt8>) -> [UInt8]? {
        let input = Array(chars)
        if input.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in input {
            let v = reverse[Int(c)]
            if v == 0xFF { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        // Canonical encodings leave only zero bits behind.
        if acc != 0 { return nil }
        return out
    }

    /// Decodes padded base64 (length a multiple of four, `=` only as the final one or two characters).
    static func decodePadded(_ chars: some Collection<UInt8>) -> [UInt8]? {
        let input = Array(chars)
        if input.count % 4 != 0 { return nil }
        var end = input.count
        if end >= 1 && input[end - 1] == 0x3D { end -= 1 }
        if end >= 1 && input[end - 1] == 0x3D && end == input.count - 1 { end -= 1 }
        let body = input[..<end]
        // A lone `xx=` after removing two pads, or a stray `=` inside, is rejected by decodeRaw.
        if (input.count - end) == 2 && body.count % 4 != 2 { return nil }
        if (input.count - end) == 1 && body.count % 4 != 3 { return nil }
        return decodeRaw(body)
    }
}
