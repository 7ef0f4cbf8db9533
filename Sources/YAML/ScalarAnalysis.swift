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
        let scalars = Array(text.unicodeScalars)
        if scalars.isEmpty {
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

        if scalars.count >= 3 {
            let prefix = String(String.UnicodeScalarView(scalars[0..<3]))
            if prefix == "---" || prefix == "..." { blockIndicators = true }
        }
        for (i, c) in scalars.enumerated() {
            let last = i == scalars.count - 1
            let followedByWhitespace = last || scalars[i + 1] == " " || scalars[i + 1] == "\t" || Self.isBreak(scalars[i + 1])
            if i == 0 {
                switch c {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
                    blockIndicators = true
                case "?", ":":
                    if followedByWhitespace { blockIndicators = true }
                case "-":
                    if followedByWhitespace { blockIndicators = true }
                default:
                    break
                }
            } else {
                switch c {
                case ":":
                    if followedByWhitespace { blockIndicators = true }
                case "#":
                    if precededByWhitespace { blockIndicators = true }
                default:
                    break
                }
            }
            if c == "\t" {
                tabCharacters = true
            } else if !Self.isPrintable(c) {
                specialCharacters = true
            }
            if c == " " {
                if i == 0 { leadingSpace = true }
                if last { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if Self.isBreak(c) {
                lineBreaks = true
                if c != "\n" { hasUnusualBreak = true }
                if i == 0 { leadingBreak = true }
                if last { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = c == " " || c == "\t" || Self.isBreak(c)
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
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        switch v {
        case 0x0A, 0x20...0x7E, 0xA0...0xD7FF: return true
        case 0xE000...0xFFFD: return v != 0xFEFF
        default: return false
        }
    }

    static func isBreak(_ c: Unicode.Scalar) -> Bool {
        c == "\n" || c == "\r" || c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029
    }
}
