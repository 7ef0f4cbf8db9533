/// Go `strconv.FormatFloat` with precision -1 (shortest round-trip digits) for the formats sops needs, built on the
/// shortest digits Swift's own `description` produces (both are shortest-round-trip, so the digits agree).
enum GoNumberFormat {
    /// Shortest decimal digits (no leading/trailing zeros) and the decimal-point position: value = 0.d1d2… × 10^point.
    static func digits(_ v: Double) -> (digits: [UInt8], point: Int) {
        let text = Array(abs(v).description.utf8)
        var mantissa: [UInt8] = []
        var point = 0
        var seenDot = false
        var exp = 0
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exp = Int(String(decoding: text[(i + 1)...], as: UTF8.self).replacingPlus()) ?? 0
                break
            }
            if c == UInt8(ascii: ".") {
                seenDot = true
            } else {
                mantissa.append(c)
                if !seenDot { point += 1 }
            }
            i += 1
        }
        point += exp
        while let f = mantissa.first, f == UInt8(ascii: "0") {
            mantissa.removeFirst()
            point -= 1
        }
        while let l = mantissa.last, l == UInt8(ascii: "0") { mantissa.removeLast() }
        if mantissa.isEmpty { point = 0 }
        return (mantissa, point)
    }

    private static func special(_ v: Double) -> String? {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    /// `FormatFloat(v, 'f', -1, 64)`.
    static func formatF(_ v: Double) -> String {
        if let s = special(v) { return s }
        let (d, p) = digits(v)
        var out = v.sign == .minus ? "-" : ""
        if d.isEmpty { return out + "0" }
        let ds = String(decoding: d, as: UTF8.self)
        if p <= 0 {
            out += "0." + String(repeating: "0", count: -p) + ds
        } else if p >= d.count {
            out += ds + String(repeating: "0", count: p - d.count)
        } else {
            out += String(decoding: d[..<p], as: UTF8.self) + "." + String(decoding: d[p...], as: UTF8.self)
        }
        return out
    }

    /// `FormatFloat(v, 'e', -1, 64)` (or 'E').
    static func formatE(_ v: Double, upper: Bool = false) -> String {
        if let s = special(v) { return s }
        let (d, p) = digits(v)
        var out = v.sign == .minus ? "-" : ""
        let dd = d.isEmpty ? [UInt8(ascii: "0")] : d
        out += String(decoding: dd[..<1], as: UTF8.self)
        if dd.count > 1 { out += "." + String(decoding: dd[1...], as: UTF8.self) }
        let e = d.isEmpty ? 0 : p - 1
        out += upper ? "E" : "e"
        out += e < 0 ? "-" : "+"
        let mag = String(abs(e))
        out += mag.count < 2 ? "0" + mag : mag
        return out
    }

    /// `FormatFloat(v, 'g', -1, 64)` (or 'G').
    static func formatG(_ v: Double, upper: Bool = false) -> String {
        if let s = special(v) { return s }
        let (d, p) = digits(v)
        let exp = d.isEmpty ? 0 : p - 1
        // With shortest precision Go decides by a fixed precision of 6.
        if exp < -4 || exp >= 6 { return formatE(v, upper: upper) }
        return formatF(v)
    }

    /// Go `encoding/json` float encoding.
    static func formatJSON(_ v: Double) -> String {
        let a = abs(v)
        if a != 0 && (a < 1e-6 || a >= 1e21) {
            var s = formatE(v)
            // Go cleans e-09 to e-9.
            let b = Array(s.utf8)
            let n = b.count
            if n >= 4 && b[n - 4] == UInt8(ascii: "e") && b[n - 3] == UInt8(ascii: "-") && b[n - 2] == UInt8(ascii: "0") {
                s = String(decoding: b[..<(n - 2)] + [b[n - 1]], as: UTF8.self)
            }
            return s
        }
        return formatF(v)
    }
}

extension String {
    fileprivate func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }
}
