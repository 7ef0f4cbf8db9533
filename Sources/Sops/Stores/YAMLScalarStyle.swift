/// How go-yaml v3 (with its libyaml-derived emitter) writes a string scalar in block context: plain when it is
/// safe and would read back as a string, double quotes when it would re-resolve as another type or holds special
/// characters, single quotes for indicator-like text, literal blocks for multi-line text.
enum YAMLScalarStyle {
    case plain, singleQuoted, doubleQuoted, literal

    static func choose(_ s: String, isKey: Bool = false) -> YAMLScalarStyle {
        let a = Analysis(s)
        let multiline = s.contains("\n")
        let canUsePlain = !resolvesAsNonString(s) && !isOldBool(s) && !isBase60Float(s)
        if multiline && !isKey {
            return a.blockAllowed ? .literal : .doubleQuoted
        }
        if canUsePlain {
            if a.blockPlainAllowed && !s.isEmpty { return .plain }
            return a.singleQuotedAllowed ? .singleQuoted : .doubleQuoted
        }
        return .doubleQuoted
    }

    static func isOldBool(_ s: String) -> Bool {
        ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"].contains(s)
    }

    static func isBase60Float(_ s: String) -> Bool {
        // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
        var b = Array(s.utf8)[...]
        if let f = b.first, f == 43 || f == 45 { b = b.dropFirst() }
        guard let f = b.first, f >= 48 && f <= 57 else { return false }
        var i = b.startIndex
        while i < b.endIndex, (b[i] >= 48 && b[i] <= 57) || b[i] == 95 { i += 1 }
        var groups = 0
        while i < b.endIndex, b[i] == 58 {
            i += 1
            var digits = 0
            let start = i
            while i < b.endIndex, b[i] >= 48 && b[i] <= 57, digits < 2 { i += 1; digits += 1 }
            if digits == 0 { return false }
            if digits == 2 && b[start] > 53 { return false }
            groups += 1
        }
        if groups == 0 { return false }
        if i < b.endIndex, b[i] == 46 {
            i += 1
            while i < b.endIndex, (b[i] >= 48 && b[i] <= 57) || b[i] == 95 { i += 1 }
        }
        return i == b.endIndex
    }

    /// Whether go-yaml v3 would read the plain scalar `s` as something other than a string.
    static func resolvesAsNonString(_ s: String) -> Bool {
        switch s {
        case "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
             ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return true
        default: break
        }
        let b = Array(s.utf8)
        guard let f = b.first, (f >= 48 && f <= 57) || f == 43 || f == 45 || f == 46 else { return false }
        if f >= 48 && f <= 57 && isTimestamp(b) { return true }
        let plain = b.filter { $0 != 95 }
        if isGoInt(plain) { return true }
        return isYAMLFloat(b)
    }

    private static func isGoInt(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count, b[i] == 43 || b[i] == 45 { i += 1 }
        guard i < b.count else { return false }
        var base = 10
        if b[i] == 48 && i + 1 < b.count {
            switch b[i + 1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): base = 16; i += 2
            case UInt8(ascii: "o"), UInt8(ascii: "O"): base = 8; i += 2
            case UInt8(ascii: "b"), UInt8(ascii: "B"): base = 2; i += 2
            default: base = 8; i += 1
            }
        }
        guard i < b.count else { return base == 8 }
        for c in b[i...] {
            let d: Int
            switch c {
            case 48...57: d = Int(c - 48)
            case 97...102: d = Int(c - 87)
            case 65...70: d = Int(c - 55)
            default: return false
            }
            if d >= base { return false }
        }
        return true
    }

    private static func isYAMLFloat(_ b: [UInt8]) -> Bool {
        // ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
        var i = 0
        func digits() -> Int {
            let s = i
            while i < b.count, b[i] >= 48 && b[i] <= 57 { i += 1 }
            return i - s
        }
        if i < b.count, b[i] == 43 || b[i] == 45 { i += 1 }
        if i < b.count, b[i] == 46 {
            i += 1
            if digits() == 0 { return false }
        } else {
            if digits() == 0 { return false }
            if i < b.count, b[i] == 46 { i += 1; _ = digits() }
        }
        if i < b.count, b[i] == 101 || b[i] == 69 {
            i += 1
            if i < b.count, b[i] == 43 || b[i] == 45 { i += 1 }
            if digits() == 0 { return false }
        }
        return i == b.count
    }

    private static func isTimestamp(_ b: [UInt8]) -> Bool {
        // YYYY-M-D, then optionally [Tt ]h:m:s[.frac][zone] (zone only after T/t).
        var i = 0
        func num(_ minD: Int, _ maxD: Int) -> Bool {
            let s = i
            while i < b.count, b[i] >= 48 && b[i] <= 57, i - s < maxD { i += 1 }
            return i - s >= minD
        }
        guard num(4, 4), i < b.count, b[i] == 45 else { return false }
        i += 1
        guard num(1, 2), i < b.count, b[i] == 45 else { return false }
        i += 1
        guard num(1, 2) else { return false }
        if i == b.count { return true }
        let sep = b[i]
        guard sep == 84 || sep == 116 || sep == 32 else { return false }
        i += 1
        guard num(1, 2), i < b.count, b[i] == 58 else { return false }
        i += 1
        guard num(1, 2), i < b.count, b[i] == 58 else { return false }
        i += 1
        guard num(1, 2) else { return false }
        if i < b.count, b[i] == 46 {
            i += 1
            guard num(1, 9) else { return false }
        }
        if i == b.count { return true }
        guard sep != 32 else { return false }
        if b[i] == 90 { return i + 1 == b.count }
        guard b[i] == 43 || b[i] == 45 else { return false }
        i += 1
        guard num(2, 2), i < b.count, b[i] == 58 else { return false }
        i += 1
        return num(2, 2) && i == b.count
    }

    /// libyaml's `yaml_emitter_analyze_scalar`, reduced to the flags block context needs.
    struct Analysis {
        var blockPlainAllowed = true
        var singleQuotedAllowed = true
        var blockAllowed = true

        init(_ s: String) {
            let scalars = Array(s.unicodeScalars)
            if scalars.isEmpty {
                blockPlainAllowed = false
                blockAllowed = false
                return
            }
            var blockIndicators = false, lineBreaks = false, special = false
            var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
            var breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false
            if s.hasPrefix("---") || s.hasPrefix("...") {
                let rest = scalars.count > 3 ? scalars[3] : " "
                if rest == " " || rest == "\t" || rest == "\n" || scalars.count == 3 { blockIndicators = true }
            }
            var precededByWhitespace = true
            for (i, c) in scalars.enumerated() {
                let next: Unicode.Scalar? = i + 1 < scalars.count ? scalars[i + 1] : nil
                let followedByWhitespace = next == nil || next == " " || next == "\t" || next == "\n" || next == "\r"
                if i == 0 {
                    if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(c) { blockIndicators = true }
                    if (c == "?" || c == ":") && followedByWhitespace { blockIndicators = true }
                    if c == "-" && followedByWhitespace { blockIndicators = true }
                } else {
                    if c == ":" && followedByWhitespace { blockIndicators = true }
                    if c == "#" && precededByWhitespace { blockIndicators = true }
                }
                let v = c.value
                let printable = v == 0x0A || (v >= 0x20 && v <= 0x7E) || v == 0x85 || (v >= 0xA0 && v <= 0xD7FF)
                    || (v >= 0xE000 && v <= 0xFFFD && v != 0xFEFF) || (v >= 0x10000 && v <= 0x10FFFF)
                if !printable { special = true }
                let isBreak = c == "\n" || c == "\r" || v == 0x85 || v == 0x2028 || v == 0x2029
                if isBreak { lineBreaks = true }
                if c == " " {
                    if i == 0 { leadingSpace = true }
                    if i == scalars.count - 1 { trailingSpace = true }
                    if previousBreak { breakSpace = true }
                    previousSpace = true
                    previousBreak = false
                } else if isBreak {
                    if i == 0 { leadingBreak = true }
                    if i == scalars.count - 1 { trailingBreak = true }
                    if previousSpace { spaceBreak = true }
                    previousBreak = true
                    previousSpace = false
                } else {
                    previousSpace = false
                    previousBreak = false
                }
                precededByWhitespace = c == " " || c == "\t" || isBreak
            }
            if leadingSpace || leadingBreak || trailingSpace || trailingBreak { blockPlainAllowed = false }
            if trailingSpace { blockAllowed = false }
            if breakSpace {
                blockPlainAllowed = false
                singleQuotedAllowed = false
            }
            if spaceBreak || special {
                blockPlainAllowed = false
                singleQuotedAllowed = false
                blockAllowed = false
            }
            if lineBreaks { blockPlainAllowed = false }
            if blockIndicators { blockPlainAllowed = false }
        }
    }
}
