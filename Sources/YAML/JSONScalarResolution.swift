/// What a scalar means once typed, for JSON output and template data.
///
/// The YAML module's resolver (`ScalarResolver`, go-yaml v3's core schema) reduced to JSON's types: timestamps stay
/// strings and a float keeps the text it was written as.
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

    /// Types a plain (unquoted, untagged) scalar with the YAML module's resolver, timestamps left as strings.
    package static func resolvePlain(_ text: String) -> ResolvedScalar {
        switch ScalarResolver.resolvePlain(text, timestamps: false) {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(Int(number))
        case .uint(let number): return .uint(number)
        case .float(let number): return .float(number, text: text)
        case .timestamp, .string: return .string(text)
        }
    }
}

extension Node {
    /// The scalar's typed meaning (`nil` for collections).
    package var resolvedScalar: ResolvedScalar? {
        guard case .scalar(let text, let style) = content else { return nil }
        return ResolvedScalar.resolve(text, style: style, tag: tag)
    }
}
