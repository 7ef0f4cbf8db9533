/// The shortest decimal digits that round-trip a `Double`, and Go's ways of printing them.
///
/// Swift's `description` already yields the shortest round-trip digits (as Go's `strconv` does with precision -1), so
/// the digits come from there and only the layout (`f`, `e`, `g`) is done here.
package struct ShortestDecimal: Sendable {
    /// Whether the value is negative (including -0).
    package var negative: Bool
    /// Significant digits, no leading or trailing zeros; empty for zero.
    package var digits: [UInt8]
    /// Decimal point position: the value is 0.d1d2d3… × 10^point.
    package var point: Int

    /// Decomposes a finite double; `nil` for infinities and NaN.
    package init?(_ value: Double) {
        guard value.isFinite else { return nil }
        negative = value.sign == .minus
        var mantissa: [UInt8] = []
        var pointInMantissa: Int? = nil
        var exponent = 0
        var bytes = Array(value.magnitude.description.utf8)[...]
        var exponentSign = 1
        var inExponent = false
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "."): pointInMantissa = mantissa.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-") where inExponent: exponentSign = -1
            case UInt8(ascii: "+"): break
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    mantissa.append(byte)
                }
            default: break
            }
        }
        var point = (pointInMantissa ?? mantissa.count) + exponentSign * exponent
        while let first = mantissa.first, first == UInt8(ascii: "0") {
            mantissa.removeFirst()
            point -= 1
        }
        while let last = mantissa.last, last == UInt8(ascii: "0") { mantissa.removeLast() }
        if mantissa.isEmpty { point = 0 }
        digits = mantissa
        self.point = point
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`.
    package var fixed: String {
        var out = negative ? "-" : ""
        if digits.isEmpty { return out + "0" }
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + text(digits[...])
        } else if point >= digits.count {
            out += text(digits[...]) + String(repeating: "0", count: point - digits.count)
        } else {
            out += text(digits[..<point]) + "." + text(digits[point...])
        }
        return out
    }

    /// Go's `strconv.FormatFloat(v, 'e', -1, 64)`: at least two exponent digits.
    package var exponential: String {
        var out = negative ? "-" : ""
        if digits.isEmpty { return out + "0e+00" }
        out += text(digits[..<1])
        if digits.count > 1 { out += "." + text(digits[1...]) }
        let exponent = point - 1
        out += exponent < 0 ? "e-" : "e+"
        let magnitude = exponent.magnitude
        if magnitude < 10 { out += "0" }
        return out + String(magnitude)
    }

    /// Go's `%v` (shortest `%g`) for a float64: `%e` form when the exponent is below -4 or at least 6.
    package var general: String {
        let exponent = point - 1
        if !digits.isEmpty, exponent < -4 || exponent >= 6 { return exponential }
        return fixed
    }

    /// Go's `encoding/json` form: `f` unless below 1e-6 or at least 1e21, exponent without a leading zero.
    package var json: String {
        let exponent = point - 1
        guard !digits.isEmpty, exponent < -6 || exponent >= 21 else { return fixed }
        var text = exponential
        // Go cleans e-09 to e-9 but keeps e+21.
        if let e = text.firstIndex(of: "e") {
            let afterE = text[text.index(after: e)...]
            if afterE.hasPrefix("-0") {
                text.remove(at: text.index(e, offsetBy: 2))
            }
        }
        return text
    }

    private func text(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice, as: UTF8.self)
    }
}
