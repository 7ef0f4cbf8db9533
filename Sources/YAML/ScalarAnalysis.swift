/// libyaml's `yaml_emitter_analyze_scalar` (as go-yaml v3 carries it): which styles can present a text unchanged
/// in block context.
struct ScalarAnalysis {
    var multiline = false
    var plainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true
    /// Contains a line break other than `\n` (NEL is already special; U+2028/U+2029 are printable breaks).
    var hasUnusualBreak = false

    init(_ text: String) {
        var utf8 = text
        self = utf8.withUTF8 { ScalarAnalysis(bytes: $0) }
    }

    private init(bytes b: UnsafeBufferPointer<UInt8>) {
        if b.isEmpty {
            blockAllowed = false
            return
        }
        var blockIndicators = false
        var specialCharacters = false
        var tabCharacters = false
        var lineBreaks = false
        var leadingSpace = false
        var leadingBreak = false
        var trailingSpace = false
        var trailingBreak = false
        var breakSpace = false
        var spaceBreak = false
        var previousSpace = false
        var previousBreak = false
        var precededByWhitespace = true

        if b.count >= 3 && ((b[0] == 0x2D && b[1] == 0x2D && b[2] == 0x2D) || (b[0] == 0x2E && b[1] == 0x2E && b[2] == 0x2E)) {
            blockIndicators = true
        }
        var i = 0
        while i < b.count {
            // Decode one character; only its value and width matter.
            let lead = b[i]
            var c = UInt32(lead)
            var width = 1
            if lead >= 0x80 {
                width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                c = UInt32(lead) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                for k in 1..<width where i + k < b.count { c = (c << 6) | UInt32(b[i + k] & 0x3F) }
            }
            let last = i + width >= b.count
            let followedByWhitespace = last || b[i + width] == 0x20 || b[i + width] == 0x09 || Self.isBreak(at: i + width, in: b)
            if i == 0 {
                switch c {
                case 0x23, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25, 0x40, 0x60:
                    // # , [ ] { } & * ! | > ' " % @ `
                    blockIndicators = true
                case 0x3F, 0x3A, 0x2D:
                    // ? : - followed by a blank
                    if followedByWhitespace { blockIndicators = true }
                default:
                    break
                }
            } else if c == 0x3A {
                if followedByWhitespace { blockIndicators = true }
            } else if c == 0x23 {
                if precededByWhitespace { blockIndicators = true }
            }
            let isBreak = Self.isBreak(c)
            if c == 0x09 {
                tabCharacters = true
            } else if !Self.isPrintable(c) {
                specialCharacters = true
            }
            if c == 0x20 {
                if i == 0 { leadingSpace = true }
                if last { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if isBreak {
                lineBreaks = true
                if c != 0x0A { hasUnusualBreak = true }
                if i == 0 { leadingBreak = true }
                if last { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = c == 0x20 || c == 0x09 || isBreak
            i += width
        }
        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { plainAllowed = false }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            plainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || tabCharacters || specialCharacters {
            plainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || specialCharacters { blockAllowed = false }
        if lineBreaks { plainAllowed = false }
        if blockIndicators { plainAllowed = false }
    }

    /// libyaml's `is_printable`: LF, printable ASCII, and BMP characters from U+00A0 except surrogates, U+FEFF,
    /// U+FFFE and U+FFFF. Characters beyond the BMP count as special, so go-yaml escapes them (`\U0001F600`).
    static func isPrintable(_ c: Unicode.Scalar) -> Bool { isPrintable(c.value) }

    static func isPrintable(_ v: UInt32) -> Bool {
        switch v {
        case 0x0A, 0x20...0x7E, 0xA0...0xD7FF: return true
        case 0xE000...0xFFFD: return v != 0xFEFF
        default: return false
        }
    }

    static func isBreak(_ c: Unicode.Scalar) -> Bool { isBreak(c.value) }

    /// Whether a line break (LF, CR, NEL, LS, PS) starts at byte `j` of UTF-8 text.
    private static func isBreak(at j: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard j < b.count else { return false }
        switch b[j] {
        case 0x0A, 0x0D: return true
        case 0xC2: return j + 1 < b.count && b[j + 1] == 0x85
        case 0xE2: return j + 2 < b.count && b[j + 1] == 0x80 && (b[j + 2] == 0xA8 || b[j + 2] == 0xA9)
        default: return false
        }
    }

    static func isBreak(_ v: UInt32) -> Bool {
        v == 0x0A || v == 0x0D || v == 0x85 || v == 0x2028 || v == 0x2029
    }
}
