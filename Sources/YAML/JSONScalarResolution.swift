/// What a scalar means once typed, for JSON output and template data.
///
/// A small stand-in for the YAML module's full resolver: YAML 1.2 core schema as go-yaml v3 applies it (underscores
/// dropped from numbers, `0x`/`0o`/`0b` and legacy `0755` octal ints, only `true`/`True`/`TRUE` style booleans).
/// Timestamps stay strings.
package enum ResolvedScalar: Sendable, Equatable {
    /// `null`, `~` or empty.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int)
    /// A positive integer beyond `Int.max` that fits in `UInt64`.
    case uint(UInt64)
    /// A float with the text it was written as (`.inf`, `1e3`, …).
    case float(Double, text: String)
    /// Anything else.
    case string(String)

    /// Types a scalar by its text, style and tag.
    package static func resolve(_ text: String, style: ScalarStyle, tag: String?) -> ResolvedScalar {
        guard let tag else {
            return style == .plain ? resolvePlain(text) : .string(text)
        }
        let coreName = tag.hasPrefix(Node.coreTagPrefix) ? String(tag.dropFirst(Node.coreTagPrefix.count)) : nil
        switch coreName {
        case "null":
            return .null
        case "bool", "int":
            let value = resolvePlain(text)
            switch (coreName, value) {
            case ("bool", .bool), ("int", .int), ("int", .uint): return value
            default: return .string(text)
            }
        case "float":
            switch resolvePlain(text) {
            case .float(let value, let original): return .float(value, text: original)
            case .int(let value): return .float(Double(value), text: text)
            case .uint(let value): return .float(Double(value), text: text)
            default: return .string(text)
            }
        default:
            // !!str, the non-specific `!` and application tags such as `!env` all leave the text as a string.
            return .string(text)
        }
    }

    /// Types a plain (unquoted, untagged) scalar.
    package static func resolvePlain(_ text: String) -> ResolvedScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity, text: text)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity, text: text)
        case ".nan", ".NaN", ".NAN": return .float(.nan, text: text)
        default: break
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .string(text) }
        let bytes = Array(text.utf8.filter { $0 != UInt8(ascii: "_") })
        if let integer = parseGoInteger(bytes[...]) { return integer }
        if isYAMLFloat(bytes), let value = Double(String(decoding: bytes, as: UTF8.self)) {
            return .float(value, text: text)
        }
        return .string(text)
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint` for large positives.
    private static func parseGoInteger(_ input: ArraySlice<UInt8>) -> ResolvedScalar? {
        var rest = input
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        var radix: UInt64 = 10
        if rest.count >= 2, rest.first == UInt8(ascii: "0") {
            switch rest[rest.startIndex + 1] | 0x20 {
            case UInt8(ascii: "x"): radix = 16; rest = rest.dropFirst(2)
            case UInt8(ascii: "o"): radix = 8; rest = rest.dropFirst(2)
            case UInt8(ascii: "b"): radix = 2; rest = rest.dropFirst(2)
            default: radix = 8; rest = rest.dropFirst()
            }
        }
        guard !rest.isEmpty else { return nil }
        var magnitude: UInt64 = 0
        for byte in rest {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative {
            if magnitude <= UInt64(Int.max) { return .int(-Int(magnitude)) }
            if magnitude == UInt64(Int.max) + 1 { return .int(Int.min) }
            return nil
        }
        if magnitude <= UInt64(Int.max) { return .int(Int(magnitude)) }
        return .uint(magnitude)
    }

    /// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    private static func isYAMLFloat(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                _ = digits()
            }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}

extension Node {
    /// The scalar's typed meaning (`nil` for collections).
    package var resolvedScalar: ResolvedScalar? {
        guard case .scalar(let text, let style) = content else { return nil }
        return ResolvedScalar.resolve(text, style: style, tag: tag)
    }
}
