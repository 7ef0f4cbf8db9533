public import Core

/// JSON reading and writing over `Node` trees: key order and duplicate keys kept, locations on every node.
public enum JSON {
    /// Parses strict RFC 8259 JSON into a node tree.
    ///
    /// Strings become double-quoted scalars, numbers plain scalars holding their original text, `true`, `false` and
    /// `null` plain scalars; every node carries its `file:line:column`. Errors point at the offending character.
    public static func parse(_ text: String, file: String) throws(CloakError) -> Node {
        var parser = JSONParser(text: text, file: file)
        return try parser.parseDocument()
    }
}

/// A recursive-descent parser over the UTF-8 bytes; columns count code points, as libyaml's marks do.
struct JSONParser {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0

    /// Deep enough for any configuration, shallow enough that recursion cannot exhaust the stack.
    private static let maximumDepth = 512

    init(text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    mutating func parseDocument() throws(CloakError) -> Node {
        skipWhitespace()
        let node = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describeCurrent()) after top-level value") }
        return node
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func error(_ message: String) -> CloakError {
        CloakError(.config, "invalid JSON: \(message)", at: location)
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        if byte >= 0x20, byte < 0x7f { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): advance()
            default: return
            }
        }
    }

    private mutating func parseValue() throws(CloakError) -> Node {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        let start = location
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(start)
        case UInt8(ascii: "["): return try parseArray(start)
        case UInt8(ascii: "\""): return Node(.scalar(try parseString(), .doubleQuoted), location: start)
        case UInt8(ascii: "t"): return try literal("true", start)
        case UInt8(ascii: "f"): return try literal("false", start)
        case UInt8(ascii: "n"): return try literal("null", start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return Node(.scalar(try parseNumber(), .plain), location: start)
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func literal(_ word: String, _ start: SourceLocation) throws(CloakError) -> Node {
        try expectWord(word)
        return Node(.scalar(word, .plain), location: start)
    }

    private mutating func expectWord(_ word: String) throws(CloakError) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else {
                throw error("unexpected \(describeCurrent()) in literal \(word)")
            }
            advance()
        }
        guard index >= bytes.count || !Self.isWordByte(bytes[index]) else {
            throw error("unexpected \(describeCurrent()) after literal \(word)")
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default: return false
        }
    }

    private mutating func enter() throws(CloakError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nesting deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseObject(_ start: SourceLocation) throws(CloakError) -> Node {
        try enter()
        advance()
        var pairs: [Node.Pair] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            advance()
            depth -= 1
            return Node(.mapping(pairs), location: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()), expected a string key")
            }
            let keyLocation = location
            let key = Node(.scalar(try parseString(), .doubleQuoted), location: keyLocation)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()), expected ':' after object key")
            }
            advance()
            skipWhitespace()
            let value = try parseValue()
            pairs.append(Node.Pair(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") {
                advance()
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else {
                throw error("unexpected \(describeCurrent()), expected ',' or '}' in object")
            }
            advance()
            depth -= 1
            return Node(.mapping(pairs), location: start)
        }
    }

    private mutating func parseArray(_ start: SourceLocation) throws(CloakError) -> Node {
        try enter()
        advance()
        var items: [Node] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            advance()
            depth -= 1
            return Node(.sequence(items), location: start)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") {
                advance()
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else {
                throw error("unexpected \(describeCurrent()), expected ',' or ']' in array")
            }
            advance()
            depth -= 1
            return Node(.sequence(items), location: start)
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, returned as written.
    private mutating func parseNumber() throws(CloakError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { advance() }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in number") }
        if bytes[index] == UInt8(ascii: "0") {
            advance()
            if index < bytes.count, isDigit(bytes[index]) { throw error("leading zero in number") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            advance()
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("expected a digit after decimal point")
            }
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            advance()
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                advance()
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in exponent") }
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        if index < bytes.count, Self.isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
            throw error("unexpected \(describeCurrent()) after number")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A string at the opening quote; escapes decoded, lone surrogates replaced by U+FFFD as Go does.
    private mutating func parseString() throws(CloakError) -> String {
        advance()
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flushRun(_ end: Int) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                flushRun(index)
                advance()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flushRun(index)
                advance()
                guard index < bytes.count else { throw error("unterminated string") }
                let escape = bytes[index]
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    advance()
                    scalars.append(try parseUnicodeEscape())
                    runStart = index
                    continue
                default: throw error("invalid escape \(describeCurrent()) in string")
                }
                advance()
                runStart = index
            case 0..<0x20:
                throw error("control character 0x\(String(byte, radix: 16)) in string (must be escaped)")
            default:
                advance()
            }
        }
    }

    /// After `\u`: four hex digits, combining a surrogate pair when one follows.
    private mutating func parseUnicodeEscape() throws(CloakError) -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800..<0xDC00).contains(high),
            index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        {
            let saved = (index, line, column)
            advance()
            advance()
            let low = try parseHex4()
            if (0xDC00..<0xE000).contains(low) {
                let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                return Unicode.Scalar(combined) ?? "\u{FFFD}"
            }
            (index, line, column) = saved
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    private mutating func parseHex4() throws(CloakError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("unterminated \\u escape") }
            guard let digit = Hex.digitValue(bytes[index]).map(UInt32.init) else {
                throw error("invalid hex digit \(describeCurrent()) in \\u escape")
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }
}
