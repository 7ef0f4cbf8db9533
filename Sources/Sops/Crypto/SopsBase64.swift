/// Standard base64 (RFC 4648 §4) with `=` padding, decoding leniently like Go's non-strict `StdEncoding`
/// (non-zero trailing pad bits accepted, CR/LF ignored).
enum SopsBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let table: [Int16] = {
        var t = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int16(i) }
        return t
    }()

    /// Encodes with padding.
    static func encode(_ bytes: some Collection<UInt8>, url: Bool = false, pad: Bool = true) -> String {
        let a = Array(bytes)
        let alpha = url ? urlAlphabet : alphabet
        var out: [UInt8] = []
        out.reserveCapacity((a.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= a.count {
            let n = UInt32(a[i]) << 16 | UInt32(a[i + 1]) << 8 | UInt32(a[i + 2])
            out += [alpha[Int(n >> 18)], alpha[Int(n >> 12 & 63)], alpha[Int(n >> 6 & 63)], alpha[Int(n & 63)]]
            i += 3
        }
        let rest = a.count - i
        if rest == 1 {
            let n = UInt32(a[i]) << 16
            out += [alpha[Int(n >> 18)], alpha[Int(n >> 12 & 63)]]
            if pad { out += [61, 61] }
        } else if rest == 2 {
            let n = UInt32(a[i]) << 16 | UInt32(a[i + 1]) << 8
            out += [alpha[Int(n >> 18)], alpha[Int(n >> 12 & 63)], alpha[Int(n >> 6 & 63)]]
            if pad { out += [61] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded standard base64; `nil` when malformed.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var vals: [UInt8] = []
        var padding = 0
        for c in text.utf8 {
            if c == 13 || c == 10 { continue }
            if c == 61 {
                padding += 1
                continue
            }
            if padding > 0 { return nil }
            let v = table[Int(c)]
            if v < 0 { return nil }
            vals.append(UInt8(v))
        }
        if (vals.count + padding) % 4 != 0 || padding > 2 { return nil }
        if padding > 0 && vals.count % 4 != 4 - padding { return nil }
        if vals.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(vals.count * 3 / 4)
        var i = 0
        while i + 4 <= vals.count {
            let n = UInt32(vals[i]) << 18 | UInt32(vals[i + 1]) << 12 | UInt32(vals[i + 2]) << 6 | UInt32(vals[i + 3])
            out += [UInt8(n >> 16), UInt8(n >> 8 & 255), UInt8(n & 255)]
            i += 4
        }
        let rest = vals.count - i
        if rest == 2 {
            out.append(UInt8((UInt32(vals[i]) << 2 | UInt32(vals[i + 1]) >> 4) & 255))
        } else if rest == 3 {
            let n = UInt32(vals[i]) << 12 | UInt32(vals[i + 1]) << 6 | UInt32(vals[i + 2])
            out += [UInt8(n >> 10 & 255), UInt8(n >> 2 & 255)]
        }
        return out
    }
}
