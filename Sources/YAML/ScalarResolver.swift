internal import Core

/// go-yaml v3's `resolve`: what a scalar's text means, untagged or under an explicit core tag.
enum ScalarResolver {
    static let strTag = Node.coreTagPrefix + "str"
    static let intTag = Node.coreTagPrefix + "int"
    static let floatTag = Node.coreTagPrefix + "float"
    static let boolTag = Node.coreTagPrefix + "bool"
    static let nullTag = Node.coreTagPrefix + "null"
    static let timestampTag = Node.coreTagPrefix + "timestamp"
    static let binaryTag = Node.coreTagPrefix + "binary"
    static let mergeTag = Node.coreTagPrefix + "merge"

    /// The value of a scalar given its text, style and tag; `nil` when an explicit core tag does not fit the
    /// text (`!!int abc`).
    static func value(text: String, style: ScalarStyle, tag: String?) -> ScalarValue? {
        guard let tag, tag != "!" else {
            return style == .plain ? resolvePlain(text, timestamps: true) : .string(text)
        }
        guard tag.hasPrefix(Node.coreTagPrefix) else { return .string(text) }
        switch tag {
        case strTag, binaryTag, mergeTag:
            return .string(text)
        case intTag:
            let value = resolvePlain(text, timestamps: false)
            switch value {
            case .int, .uint: return value
            default: return nil
            }
        case floatTag:
            switch resolvePlain(text, timestamps: false) {
            case .float(let d): return .float(d)
            case .int(let i): return .float(Double(i))
            case .uint(let u): return .float(Double(u))
            default: return nil
            }
        case boolTag:
            if case .bool(let b) = resolvePlain(text, timestamps: false) { return .bool(b) }
            return nil
        case nullTag:
            if case .null = resolvePlain(text, timestamps: false) { return .null }
            return nil
        case timestampTag:
            if case .timestamp(let t) = resolvePlain(text, timestamps: true) { return .timestamp(t) }
            return nil
        default:
            return nil
        }
    }

    /// Whether a scalar means a string, so that an emitter knows if quoting must keep it one.
    static func isString(text: String, style: ScalarStyle, tag: String?) -> Bool {
        if let tag, tag != "!" {
            guard tag.hasPrefix(Node.coreTagPrefix) else { return true }
            return tag == strTag || tag == binaryTag || tag == mergeTag
        }
        return style != .plain || resolvePlain(text, timestamps: true).isString
    }

    /// An untagged plain scalar.
    static func resolvePlain(_ text: String, timestamps: Bool) -> ScalarValue {
        var utf8 = text
        return utf8.withUTF8 { resolve(bytes: $0, text: text, timestamps: timestamps) }
    }

    private enum Hint {
        case sign, digit, map, dot, none
    }

    private static func hint(_ first: UInt8) -> Hint {
        switch first {
        case UInt8(ascii: "+"), UInt8(ascii: "-"): .sign
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .digit
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
            UInt8(ascii: "~"):
            .map
        case UInt8(ascii: "."): .dot
        default: .none
        }
    }

    private static func resolve(bytes: UnsafeBufferPointer<UInt8>, text: String, timestamps: Bool) -> ScalarValue {
        if bytes.isEmpty { return .null }
        let h = hint(bytes[0])
        if h == .none { return .string(text) }
        if bytes.count <= 6, let fixed = fixedValue(bytes) { return fixed }
        switch h {
        case .dot:
            if let d = parseDotFloat(bytes) { return .float(d) }
        case .sign, .digit:
            if timestamps, let stamp = GoTimestamp.parse(bytes) { return .timestamp(stamp) }
            var plain: [UInt8] = []
            plain.reserveCapacity(bytes.count)
            for b in bytes where b != UInt8(ascii: "_") { plain.append(b) }
            if let integer = parseGoInteger(plain) { return integer }
            if matchesFloat(plain), let d = parseDouble(plain) { return .float(d) }
        default:
            break
        }
        return .string(text)
    }

    /// The fixed spellings: bools, nulls, infinities and NaN.
    private static func fixedValue(_ b: UnsafeBufferPointer<UInt8>) -> ScalarValue? {
        switch String(decoding: b, as: UTF8.self) {
        case "true", "True", "TRUE": .bool(true)
        case "false", "False", "FALSE": .bool(false)
        case "~", "null", "Null", "NULL": .null
        case ".nan", ".NaN", ".NAN": .float(.nan)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": .float(-.infinity)
        default: nil
        }
    }

    /// Go `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)` for what overflows Int64.
    private static func parseGoInteger(_ s: [UInt8]) -> ScalarValue? {
        var i = 0
        var negative = false
        var signed = false
        if i < s.count && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) {
            negative = s[i] == UInt8(ascii: "-")
            signed = true
            i += 1
        }
        guard i < s.count else { return nil }
        var base: UInt64 = 10
        if s[i] == UInt8(ascii: "0") {
            if s.count - i >= 3 {
                switch s[i + 1] | 0x20 {
                case UInt8(ascii: "b"): base = 2
                case UInt8(ascii: "o"): base = 8
                case UInt8(ascii: "x"): base = 16
                default: base = 8
                }
                i += base == 8 && (s[i + 1] | 0x20) != UInt8(ascii: "o") ? 1 : 2
            } else {
                base = 8
                i += 1
            }
        }
        var magnitude: UInt64 = 0
        while i < s.count {
            guard let digit = Hex.digitValue(s[i]).map(UInt64.init) else { return nil }
            guard digit < base else { return nil }
            let (product, overflow1) = magnitude.multipliedReportingOverflow(by: base)
            let (sum, overflow2) = product.addingReportingOverflow(digit)
            guard !overflow1 && !overflow2 else { return nil }
            magnitude = sum
            i += 1
        }
        if negative {
            if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .int(.min) }
            return nil
        }
        if magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
        // ParseUint takes no sign.
        return signed ? nil : .uint(magnitude)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    private static func matchesFloat(_ s: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < s.count && s[i] >= 48 && s[i] <= 57 { i += 1 }
            return i - start
        }
        if i < s.count && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
        if i < s.count && s[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if i < s.count && s[i] == UInt8(ascii: ".") {
                i += 1
                _ = digits()
            }
        }
        if i < s.count && (s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E")) {
            i += 1
            if i < s.count && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == s.count
    }

    /// Go `ParseFloat` for text starting with `.`: `.5`, `.5e3`, with `_` allowed only between digits.
    private static func parseDotFloat(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var plain: [UInt8] = []
        plain.reserveCapacity(b.count)
        for (index, c) in b.enumerated() {
            if c == UInt8(ascii: "_") {
                let before = index > 0 && b[index - 1] >= 48 && b[index - 1] <= 57
                let after = index + 1 < b.count && b[index + 1] >= 48 && b[index + 1] <= 57
                guard before && after else { return nil }
                continue
            }
            plain.append(c)
        }
        guard matchesFloat(plain) else { return nil }
        return parseDouble(plain)
    }

    /// A decimal float; `nil` when it overflows to infinity (Go reports a range error, so go-yaml keeps a string).
    private static func parseDouble(_ s: [UInt8]) -> Double? {
        guard let d = Double(String(decoding: s, as: UTF8.self)), d.isFinite else { return nil }
        return d
    }
}
