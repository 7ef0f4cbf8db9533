/// Float-to-text conversions that match Go byte for byte, for files that Go programs (sops, go-yaml) also write.
///
/// Shortest precision (`-1`) takes Swift's round-trip digits, which are the same shortest, closest digits Go's Ryu
/// produces; a fixed precision rounds the exact binary value half-to-even as Go does.
public enum GoFloat {
    /// Go `strconv.FormatFloat(d, fmt, precision, 64)` for `fmt` in `f`, `e`, `E`, `g`, `G`.
    ///
    /// Non-finite values give `+Inf`, `-Inf` and `NaN` as Go does; an unknown format gives `%` and the format.
    public static func format(_ d: Double, _ fmt: Character, precision: Int = -1) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let negative = d.sign == .minus
        let shortest = precision < 0
        var prec = precision
        var digits: DecimalDigits
        if shortest {
            digits = .shortest(d)
            switch fmt {
            case "e", "E": prec = max(digits.count - 1, 0)
            case "f": prec = max(digits.count - digits.point, 0)
            case "g", "G": prec = digits.count
            default: break
            }
        } else {
            digits = .exact(d)
            switch fmt {
            case "e", "E": digits.round(toCount: prec + 1)
            case "f": digits.round(toCount: digits.point + prec)
            case "g", "G":
                if prec == 0 { prec = 1 }
                digits.round(toCount: prec)
            default: break
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        switch fmt {
        case "e", "E":
            appendE(&out, negative, digits, prec, fmt == "E" ? UInt8(ascii: "E") : UInt8(ascii: "e"))
        case "f":
            appendF(&out, negative, digits, prec)
        case "g", "G":
            var eprec = prec
            if eprec > digits.count && digits.count >= digits.point { eprec = digits.count }
            // Go decides %e against precision 6 when printing the shortest digits.
            if shortest { eprec = 6 }
            let exponent = digits.point - 1
            if exponent < -4 || exponent >= eprec {
                if prec > digits.count { prec = digits.count }
                appendE(&out, negative, digits, prec - 1, fmt == "G" ? UInt8(ascii: "E") : UInt8(ascii: "e"))
            } else {
                if prec > digits.point { prec = digits.count }
                appendF(&out, negative, digits, max(prec - digits.point, 0))
            }
        default:
            return "%" + String(fmt)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go `FormatFloat(d, 'f', -1, 64)`: shortest digits, never an exponent (`1e30` → `1000000000000000000000000000000`,
    /// `1e-7` → `0.0000001`, `2.0` → `2`). This is sops' plaintext for `type:float`.
    public static func formatF(_ d: Double) -> String { format(d, "f") }

    /// Go `FormatFloat(d, 'g', -1, 64)`: exponent form when the decimal exponent is < -4 or >= 6 (`1e+06`, `1e-05`,
    /// `1.23456789e+08`, `100000`, `0.0001`).
    public static func formatG(_ d: Double) -> String { format(d, "g") }

    /// Go `FormatFloat(d, 'G', -1, 64)`: as `formatG` with `E` (`1E+21`).
    public static func formatUpperG(_ d: Double) -> String { format(d, "G") }

    /// Go `FormatFloat(d, 'e', -1, 64)`: always exponent form with at least two exponent digits (`1.5e+00`).
    public static func formatE(_ d: Double) -> String { format(d, "e") }

    /// Go `fmt` `%v` of a float64. Go's `fmt` prints `%v` with `strconv` `'g'` and shortest precision, so this is
    /// `formatG` (`1e+06`, `1e+20`, `+Inf`, `NaN`).
    public static func formatV(_ d: Double) -> String { formatG(d) }

    /// Go `encoding/json` number text: positional when 1e-6 <= |d| < 1e21, else exponent form with a two-digit
    /// negative exponent shortened (`1e-7`, `1e+21`). `nil` for NaN and infinities, which JSON cannot hold
    /// (Go fails with `UnsupportedValueError`).
    public static func formatJSON(_ d: Double) -> String? {
        if !d.isFinite { return nil }
        let magnitude = d.magnitude
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            var text = Array(format(d, "e").utf8)
            let n = text.count
            if n >= 4 && text[n - 4] == UInt8(ascii: "e") && text[n - 3] == UInt8(ascii: "-")
                && text[n - 2] == UInt8(ascii: "0")
            {
                text[n - 2] = text[n - 1]
                text.removeLast()
            }
            return String(decoding: text, as: UTF8.self)
        }
        return format(d, "f")
    }

    /// sops `exec-env`/dotenv float text: `'G'` shortest plus `.0` when the result looks like an integer
    /// (`1.5` → `1.5`, `2.0` → `2.0`, `1e21` → `1E+21`, `1e-7` → `1E-07`).
    public static func formatSopsEnv(_ d: Double) -> String {
        let text = formatUpperG(d)
        if !d.isFinite { return text }
        if text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "E") }) { return text }
        return text + ".0"
    }

    /// How go-yaml v3 writes a float64 value: `formatG`, with `.inf`, `-.inf` and `.nan` for the non-finite values.
    public static func formatYAML(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        return formatG(d)
    }

    private static func appendE(_ out: inout [UInt8], _ negative: Bool, _ d: DecimalDigits, _ prec: Int, _ letter: UInt8) {
        if negative { out.append(UInt8(ascii: "-")) }
        out.append(d.count > 0 ? d.digits[0] : UInt8(ascii: "0"))
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            var i = 1
            let m = min(d.count, prec + 1)
            if i < m {
                out.append(contentsOf: d.digits[i..<m])
                i = m
            }
            while i <= prec {
                out.append(UInt8(ascii: "0"))
                i += 1
            }
        }
        out.append(letter)
        var exponent = d.count == 0 ? 0 : d.point - 1
        if exponent < 0 {
            out.append(UInt8(ascii: "-"))
            exponent = -exponent
        } else {
            out.append(UInt8(ascii: "+"))
        }
        if exponent < 10 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "0") + UInt8(exponent))
        } else if exponent < 100 {
            out.append(UInt8(ascii: "0") + UInt8(exponent / 10))
            out.append(UInt8(ascii: "0") + UInt8(exponent % 10))
        } else {
            out.append(UInt8(ascii: "0") + UInt8(exponent / 100))
            out.append(UInt8(ascii: "0") + UInt8(exponent / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(exponent % 10))
        }
    }

    private static func appendF(_ out: inout [UInt8], _ negative: Bool, _ d: DecimalDigits, _ prec: Int) {
        if negative { out.append(UInt8(ascii: "-")) }
        if d.point > 0 {
            let m = min(d.count, d.point)
            out.append(contentsOf: d.digits[0..<m])
            if m < d.point { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: d.point - m)) }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            for i in 0..<prec {
                let j = d.point + i
                out.append(j >= 0 && j < d.count ? d.digits[j] : UInt8(ascii: "0"))
            }
        }
    }
}
