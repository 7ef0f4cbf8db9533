internal import Core

/// One token inside an action.
struct TemplateToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A bare word: function name, keyword, `true`, `false` or `nil`.
        case identifier(String)
        /// `.name` (without the dot).
        case field(String)
        /// `$` or `$name` (with the dollar).
        case variable(String)
        /// A lone `.`.
        case dot
        /// A quoted or raw string, escapes decoded.
        case string(String)
        /// A number as written.
        case number(String)
        /// A character constant such as `'a'`.
        case char(Int)
        case pipe, leftParen, rightParen, declare, assign, comma
    }

    var kind: Kind
    /// Byte offset of the first character.
    var start: Int
    /// Byte offset just past the last character.
    var end: Int
    /// Whether whitespace separates this token from the previous one (`.a .b` versus `.a.b`).
    var spaced: Bool
}

/// The template split into text and actions, with trim markers applied and comments dropped.
enum TemplateItem: Sendable {
    case text(String)
    /// An action's tokens; `start` is the offset of its `{{`, `end` just past its `}}`.
    case action([TemplateToken], start: Int, end: Int)
}

/// Splits template text into items the way Go's `text/template/parse` lexer does, with `{{` `}}` delimiters.
struct TemplateLexer {
    private let source: TemplateSource
    private var bytes: [UInt8] { source.bytes }
    private var index = 0

    init(source: TemplateSource) {
        self.source = source
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), 0x80...0xFF:
            return true
        default: return false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func starts(with literal: String, at offset: Int) -> Bool {
        var position = offset
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
        }
        return true
    }

    private func find(_ literal: String, from offset: Int) -> Int? {
        var position = offset
        while position < bytes.count {
            if starts(with: literal, at: position) { return position }
            position += 1
        }
        return nil
    }

    mutating func tokenize() throws(CloakError) -> [TemplateItem] {
        var items: [TemplateItem] = []
        var trimNextText = false
        while true {
            let open = find("{{", from: index) ?? bytes.count
            var textStart = index
            var textEnd = open
            if trimNextText {
                while textStart < textEnd, Self.isSpace(bytes[textStart]) { textStart += 1 }
            }
            var position = open + 2
            let leftTrim =
                open < bytes.count && position + 1 < bytes.count && bytes[position] == UInt8(ascii: "-")
                && Self.isSpace(bytes[position + 1])
            if leftTrim {
                while textEnd > textStart, Self.isSpace(bytes[textEnd - 1]) { textEnd -= 1 }
            }
            if textEnd > textStart {
                items.append(.text(String(decoding: bytes[textStart..<textEnd], as: UTF8.self)))
            }
            guard open < bytes.count else { return items }
            if leftTrim { position += 2 }
            if starts(with: "/*", at: position) {
                guard let close = find("*/", from: position + 2) else {
                    throw source.error("unclosed comment", at: open)
                }
                position = close + 2
                if starts(with: "}}", at: position) {
                    index = position + 2
                    trimNextText = false
                } else if starts(with: " -}}", at: position) {
                    index = position + 4
                    trimNextText = true
                } else {
                    throw source.error("comment ends before closing delimiter", at: close)
                }
                continue
            }
            index = position
            let (tokens, rightTrim) = try lexAction(open: open)
            items.append(.action(tokens, start: open, end: index))
            trimNextText = rightTrim
        }
    }

    /// Lexes tokens up to and including the closing `}}`; returns them and whether `-}}` trims the following text.
    private mutating func lexAction(open: Int) throws(CloakError) -> ([TemplateToken], Bool) {
        var tokens: [TemplateToken] = []
        var spaced = true
        while true {
            guard index < bytes.count else { throw source.error("unclosed action", at: open) }
            let byte = bytes[index]
            if Self.isSpace(byte) {
                while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                if starts(with: "-}}", at: index) {
                    index += 3
                    return (tokens, true)
                }
                spaced = true
                continue
            }
            if starts(with: "}}", at: index) {
                index += 2
                return (tokens, false)
            }
            let start = index
            let kind = try lexToken(open: open)
            tokens.append(TemplateToken(kind: kind, start: start, end: index, spaced: spaced))
            spaced = false
        }
    }

    private mutating func lexToken(open: Int) throws(CloakError) -> TemplateToken.Kind {
        let start = index
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "|"): return .pipe
        case UInt8(ascii: "("): return .leftParen
        case UInt8(ascii: ")"): return .rightParen
        case UInt8(ascii: ","): return .comma
        case UInt8(ascii: "="): return .assign
        case UInt8(ascii: ":"):
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw source.error("expected :=", at: start)
            }
            index += 1
            return .declare
        case UInt8(ascii: "\""): return .string(try lexQuoted(start: start))
        case UInt8(ascii: "`"):
            guard let close = find("`", from: index) else {
                throw source.error("unterminated raw quoted string", at: start)
            }
            let text = String(decoding: bytes[index..<close], as: UTF8.self)
            index = close + 1
            return .string(text)
        case UInt8(ascii: "'"): return .char(try lexChar(start: start))
        case UInt8(ascii: "$"):
            while index < bytes.count, Self.isAlphanumeric(bytes[index]) { index += 1 }
            return .variable(source.text(start, index))
        case UInt8(ascii: "."):
            if index < bytes.count, Self.isDigit(bytes[index]) {
                lexNumberTail()
                return .number(source.text(start, index))
            }
            guard index < bytes.count, Self.isAlphanumeric(bytes[index]) else { return .dot }
            while index < bytes.count, Self.isAlphanumeric(bytes[index]) { index += 1 }
            return .field(source.text(start + 1, index))
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                let next = index < bytes.count ? bytes[index] : 0
                let afterNext = index + 1 < bytes.count ? bytes[index + 1] : 0
                guard Self.isDigit(next) || (next == UInt8(ascii: ".") && Self.isDigit(afterNext)) else {
                    throw source.error("unexpected \"\(Character(Unicode.Scalar(byte)))\" in command", at: start)
                }
            }
            lexNumberTail()
            return .number(source.text(start, index))
        default:
            if Self.isAlphanumeric(byte) {
                while index < bytes.count, Self.isAlphanumeric(bytes[index]) { index += 1 }
                return .identifier(source.text(start, index))
            }
            let shown = byte < 0x80 ? String(Character(Unicode.Scalar(byte))) : "\\x\(String(byte, radix: 16))"
            throw source.error("unrecognized character in action: \"\(shown)\"", at: start)
        }
    }

    /// The rest of a number: digits, letters (prefixes, hex, exponent), `_`, `.`, and a sign right after an exponent.
    private mutating func lexNumberTail() {
        while index < bytes.count {
            let byte = bytes[index]
            if Self.isAlphanumeric(byte) && byte < 0x80 || byte == UInt8(ascii: ".") {
                index += 1
            } else if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"),
                bytes[index - 1] | 0x20 == UInt8(ascii: "e") || bytes[index - 1] | 0x20 == UInt8(ascii: "p")
            {
                index += 1
            } else {
                return
            }
        }
    }

    private mutating func lexQuoted(start: Int) throws(CloakError) -> String {
        var scalars = String.UnicodeScalarView()
        var runStart = index
        while true {
            guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else {
                throw source.error("unterminated quoted string", at: start)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                scalars.append(contentsOf: source.text(runStart, index).unicodeScalars)
                index += 1
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: source.text(runStart, index).unicodeScalars)
                scalars.append(try lexEscape(quote: UInt8(ascii: "\""), literalStart: start))
                runStart = index
                continue
            }
            index += 1
        }
    }

    private mutating func lexChar(start: Int) throws(CloakError) -> Int {
        guard index < bytes.count, bytes[index] != UInt8(ascii: "'"), bytes[index] != UInt8(ascii: "\n") else {
            throw source.error("malformed character constant", at: start)
        }
        let scalar: Unicode.Scalar
        if bytes[index] == UInt8(ascii: "\\") {
            scalar = try lexEscape(quote: UInt8(ascii: "'"), literalStart: start)
        } else {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            scalar = source.text(index, end).unicodeScalars.first ?? "\u{FFFD}"
            index = end
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "'") else {
            throw source.error("malformed character constant", at: start)
        }
        index += 1
        return Int(scalar.value)
    }

    /// Go escapes after a backslash: `\a \b \f \n \r \t \v \\ \" \'`, `\xHH`, `\ooo`, `\uHHHH`, `\UHHHHHHHH`.
    private mutating func lexEscape(quote: UInt8, literalStart: Int) throws(CloakError) -> Unicode.Scalar {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw source.error("unterminated quoted string", at: literalStart) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "a"): return "\u{07}"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "v"): return "\u{0B}"
        case UInt8(ascii: "\\"): return "\\"
        case quote: return Unicode.Scalar(quote)
        case UInt8(ascii: "x"): return try hexEscape(digits: 2, escapeStart)
        case UInt8(ascii: "u"): return try hexEscape(digits: 4, escapeStart)
        case UInt8(ascii: "U"): return try hexEscape(digits: 8, escapeStart)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = UInt32(byte - UInt8(ascii: "0"))
            for _ in 0..<2 {
                guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index]) else {
                    throw source.error("invalid syntax in octal escape", at: escapeStart)
                }
                value = value * 8 + UInt32(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw source.error("invalid syntax in octal escape", at: escapeStart)
            }
            return scalar
        default:
            throw source.error("invalid syntax: unknown escape sequence", at: escapeStart)
        }
    }

    private mutating func hexEscape(digits: Int, _ escapeStart: Int) throws(CloakError) -> Unicode.Scalar {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard index < bytes.count, let digit = Hex.digitValue(bytes[index]).map(UInt32.init) else {
                throw source.error("invalid syntax in hex escape", at: escapeStart)
            }
            value = value * 16 + digit
            index += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw source.error("invalid code point in escape", at: escapeStart)
        }
        return scalar
    }
}
