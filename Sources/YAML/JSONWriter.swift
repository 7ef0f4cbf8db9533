/// How `JSON.serialize` lays out its output.
public struct JSONOptions: Sendable {
    /// One level of indentation, or `nil` for compact output without any whitespace.
    public var indent: String?
    /// Sort mapping keys by their UTF-8 bytes (as Go does for maps) instead of keeping document order.
    public var sortKeys: Bool
    /// Escape `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`, as Go's `json.Marshal` does.
    public var escapeHTML: Bool
    /// End the output with a newline, as Go's `json.Encoder` does.
    public var trailingNewline: Bool

    /// Creates options; the defaults give two-space indentation, document order, HTML escaping and a final newline.
    public init(indent: String? = "  ", sortKeys: Bool = false, escapeHTML: Bool = true, trailingNewline: Bool = true) {
        self.indent = indent
        self.sortKeys = sortKeys
        self.escapeHTML = escapeHTML
        self.trailingNewline = trailingNewline
    }
}

extension JSON {
    /// Writes any node tree as JSON, typing plain scalars by the core schema (`true`, `42`, `1.5`, `null`).
    ///
    /// Quoted and block scalars and application-tagged scalars are strings. Ints are written in decimal, floats as
    /// written when that is valid JSON and in Go's shortest form otherwise; infinities and NaN, which JSON cannot hold,
    /// become the strings `"+Inf"`, `"-Inf"` and `"NaN"`. Mapping keys are written as strings.
    public static func serialize(_ node: Node, options: JSONOptions = .init()) -> String {
        var writer = JSONWriter(options: options)
        writer.write(node, level: 0)
        if options.trailingNewline { writer.output += "\n" }
        return writer.output
    }

    /// Writes `text` as a JSON string literal with Go's escaping.
    public static func quote(_ text: String, escapeHTML: Bool = true) -> String {
        var writer = JSONWriter(options: JSONOptions(escapeHTML: escapeHTML))
        writer.writeString(text)
        return writer.output
    }
}

/// Accumulates JSON text for one `serialize` call.
struct JSONWriter {
    let options: JSONOptions
    var output = ""

    init(options: JSONOptions) {
        self.options = options
    }

    mutating func write(_ node: Node, level: Int) {
        switch node.content {
        case .scalar:
            writeScalar(node.resolvedScalar ?? .null, text: node.scalarText ?? "")
        case .sequence(let items):
            if items.isEmpty {
                output += "[]"
                return
            }
            output += "["
            for (position, item) in items.enumerated() {
                if position > 0 { output += "," }
                newline(level + 1)
                write(item, level: level + 1)
            }
            newline(level)
            output += "]"
        case .mapping(let pairs):
            if pairs.isEmpty {
                output += "{}"
                return
            }
            var entries = pairs.map { (key: keyText($0.key), value: $0.value) }
            if options.sortKeys {
                // A stable sort keeps duplicate keys in document order.
                entries = entries.enumerated().sorted { left, right in
                    if left.element.key == right.element.key { return left.offset < right.offset }
                    return left.element.key.utf8.lexicographicallyPrecedes(right.element.key.utf8)
                }.map(\.element)
            }
            output += "{"
            for (position, entry) in entries.enumerated() {
                if position > 0 { output += "," }
                newline(level + 1)
                writeString(entry.key)
                output += options.indent == nil ? ":" : ": "
                write(entry.value, level: level + 1)
            }
            newline(level)
            output += "}"
        }
    }

    private mutating func newline(_ level: Int) {
        guard let indent = options.indent else { return }
        output += "\n"
        for _ in 0..<level { output += indent }
    }

    private func keyText(_ key: Node) -> String {
        if let text = key.scalarText { return text }
        var nested = JSONWriter(options: JSONOptions(indent: nil, escapeHTML: options.escapeHTML))
        nested.write(key, level: 0)
        return nested.output
    }

    /// Numbers keep their text when it is already valid JSON (`-0`, `1e3`), so JSON input round-trips exactly.
    private mutating func writeScalar(_ value: ResolvedScalar, text: String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += Self.isJSONNumber(text) ? text : String(number)
        case .uint(let number): output += Self.isJSONNumber(text) ? text : String(number)
        case .float(let number, _):
            if number.isNaN {
                writeString("NaN")
            } else if number.isInfinite {
                writeString(number < 0 ? "-Inf" : "+Inf")
            } else if Self.isJSONNumber(text) {
                output += text
            } else {
                output += GoFloat.formatJSON(number) ?? "0"
            }
        case .string(let text): writeString(text)
        }
    }

    /// Whether `text` matches the RFC 8259 number grammar.
    static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        return index == bytes.count
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Go's `encoding/json` string escaping; U+2028 and U+2029 are always escaped, as Go does for JSONP safety.
    mutating func writeString(_ text: String) {
        output += "\""
        var pending = ""
        for scalar in text.unicodeScalars {
            let escaped: String?
            switch scalar.value {
            case 0x22: escaped = "\\\""
            case 0x5C: escaped = "\\\\"
            case 0x0A: escaped = "\\n"
            case 0x0D: escaped = "\\r"
            case 0x09: escaped = "\\t"
            case 0x08: escaped = "\\b"
            case 0x0C: escaped = "\\f"
            case 0x00..<0x20: escaped = Self.unicodeEscape(scalar.value)
            case 0x3C, 0x3E, 0x26: escaped = options.escapeHTML ? Self.unicodeEscape(scalar.value) : nil
            case 0x2028, 0x2029: escaped = Self.unicodeEscape(scalar.value)
            default: escaped = nil
            }
            if let escaped {
                pending += escaped
            } else {
                pending.unicodeScalars.append(scalar)
            }
        }
        output += pending
        output += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        var text = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            text.unicodeScalars.append(Unicode.Scalar(hexDigits[Int((value >> UInt32(shift)) & 0xF)]))
        }
        return text
    }
}
