internal import Core
internal import YAML

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The sprig functions cloak supports, with sprig's argument order (the subject last, so it can be piped).
enum SprigFunctions {
    typealias Arguments = TemplateArguments

    /// Registers every function; `env` reads the process environment until `render` replaces it.
    static func register(into functions: inout TemplateFunctions) {
        registerStrings(into: &functions)
        registerCollections(into: &functions)
        registerConversions(into: &functions)
        registerMath(into: &functions)
        functions.register("env", environmentFunction(nil))
    }

    /// `env NAME`: the variable's value, or "" when unset; reads `environment` or, when `nil`, the process.
    static func environmentFunction(_ environment: [String: String]?) -> TemplateFunctions.Function {
        { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            let name = try Arguments.string(arguments[0])
            if let environment { return .string(environment[name] ?? "") }
            guard let pointer = getenv(name) else { return .string("") }
            return .string(String(cString: pointer))
        }
    }

    /// Registers a function of one string (the last argument), as most sprig string functions are.
    private static func unary(
        _ functions: inout TemplateFunctions, _ name: String, _ body: @escaping @Sendable (String) -> String
    ) {
        functions.register(name) { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .string(body(Arguments.text(arguments[0])))
        }
    }

    /// Registers a function of two strings, subject last.
    private static func binary(
        _ functions: inout TemplateFunctions, _ name: String,
        _ body: @escaping @Sendable (String, String) -> TemplateValue
    ) {
        functions.register(name) { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            return body(Arguments.text(arguments[0]), Arguments.text(arguments[1]))
        }
    }

    // MARK: Strings

    private static func registerStrings(into functions: inout TemplateFunctions) {
        unary(&functions, "lower") { $0.lowercased() }
        unary(&functions, "upper") { $0.uppercased() }
        unary(&functions, "title", title)
        unary(&functions, "trim") { trimScalars($0) { $0.properties.isWhitespace } }
        unary(&functions, "b64enc") { Base64.encode(Array($0.utf8)) }
        unary(&functions, "sha256sum") { SHA256.hexDigest(Array($0.utf8)) }
        functions.register("b64dec") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            guard let bytes = Base64.decode(Arguments.text(arguments[0]), mode: .lenient) else {
                throw Arguments.failure("illegal base64 data")
            }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        binary(&functions, "trimPrefix") { prefix, text in
            .string(hasPrefix(text, prefix) ? bytes(text, from: prefix.utf8.count, dropLast: 0) : text)
        }
        binary(&functions, "trimSuffix") { suffix, text in
            .string(hasSuffix(text, suffix) ? bytes(text, from: 0, dropLast: suffix.utf8.count) : text)
        }
        binary(&functions, "trimAll") { cutset, text in
            let set = Set(cutset.unicodeScalars)
            return .string(trimScalars(text) { set.contains($0) })
        }
        binary(&functions, "contains") { needle, text in .bool(split(text, needle).count > 1 || needle.isEmpty) }
        binary(&functions, "hasPrefix") { prefix, text in .bool(hasPrefix(text, prefix)) }
        binary(&functions, "hasSuffix") { suffix, text in .bool(hasSuffix(text, suffix)) }
        binary(&functions, "splitList") { separator, text in .list(split(text, separator).map { .string($0) }) }
        binary(&functions, "split") { separator, text in
            let parts = split(text, separator).enumerated().map { ("_\($0.offset)", TemplateValue.string($0.element)) }
            return .map(TemplateMap(parts))
        }
        functions.register("replace") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 3)
            let old = Arguments.text(arguments[0])
            let new = Arguments.text(arguments[1])
            return .string(replace(Arguments.text(arguments[2]), old, new))
        }
        functions.register("quote") { (arguments) throws(CloakError) in
            let parts = arguments.filter { $0 != .null }.map { GoFormat.quote(Arguments.text($0)) }
            return .string(parts.joined(separator: " "))
        }
        functions.register("squote") { (arguments) throws(CloakError) in
            let parts = arguments.filter { $0 != .null }.map { "'" + Arguments.text($0) + "'" }
            return .string(parts.joined(separator: " "))
        }
        functions.register("indent") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            return .string(indent(try indentWidth(arguments[0]), Arguments.text(arguments[1])))
        }
        functions.register("nindent") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            return .string("\n" + indent(try indentWidth(arguments[0]), Arguments.text(arguments[1])))
        }
        functions.register("repeat") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let count = try Arguments.int(arguments[0], "count")
            guard count >= 0 else { throw Arguments.failure("negative repeat count") }
            let text = Arguments.text(arguments[1])
            // Refused before allocating: the product could not be rendered anyway.
            let size = count.multipliedReportingOverflow(by: text.utf8.count)
            guard !size.overflow, size.partialValue <= TemplateExecutor.maximumOutputBytes else {
                throw Arguments.failure("repeat count \(count) exceeds the template output limit")
            }
            return .string(String(repeating: text, count: count))
        }
        functions.register("substr") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 3)
            let bytes = Array(Arguments.text(arguments[2]).utf8)
            var start = try Arguments.int(arguments[0], "start")
            var end = try Arguments.int(arguments[1], "end")
            // sprig: a negative start means from 0, an end out of range means to the end.
            if start < 0 { start = 0 }
            if end < 0 || end > bytes.count { end = bytes.count }
            guard start <= end else { return .string("") }
            return .string(String(decoding: bytes[start..<end], as: UTF8.self))
        }
        functions.register("trunc") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let count = try Arguments.int(arguments[0], "length")
            let bytes = Array(Arguments.text(arguments[1]).utf8)
            if count < 0, bytes.count + count > 0 {
                return .string(String(decoding: bytes[(bytes.count + count)...], as: UTF8.self))
            }
            if count >= 0, bytes.count > count { return .string(String(decoding: bytes[..<count], as: UTF8.self)) }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        functions.register("join") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let separator = Arguments.text(arguments[0])
            return .string(stringList(arguments[1]).joined(separator: separator))
        }
        functions.register("required") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            switch arguments[1] {
            case .null, .string(""): throw Arguments.failure(Arguments.text(arguments[0]))
            default: return arguments[1]
            }
        }
    }

    /// Go's `strings.Title`: upper-cases the first letter of each word.
    private static func title(_ text: String) -> String {
        var output = ""
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            if isSeparator(previous) {
                output += String(scalar).uppercased()
            } else {
                output.unicodeScalars.append(scalar)
            }
            previous = scalar
        }
        return output
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            let isWordCharacter =
                (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                || value == 0x5F
            return !isWordCharacter
        }
        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return false }
        return scalar.properties.isWhitespace
    }

    private static func trimScalars(_ text: String, _ predicate: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !predicate($0) }),
            let last = scalars.lastIndex(where: { !predicate($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    // Go compares strings byte by byte; Swift's String methods compare by canonical equivalence, so these
    // helpers work on UTF-8.
    private static func hasPrefix(_ text: String, _ prefix: String) -> Bool { text.utf8.starts(with: prefix.utf8) }

    private static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    private static func bytes(_ text: String, from start: Int, dropLast: Int) -> String {
        let all = Array(text.utf8)
        return String(decoding: all[start..<(all.count - dropLast)], as: UTF8.self)
    }

    /// Go's `strings.Split`: an empty separator splits into runes.
    private static func split(_ text: String, _ separator: String) -> [String] {
        if separator.isEmpty { return text.unicodeScalars.map { String($0) } }
        let haystack = Array(text.utf8)
        let needle = Array(separator.utf8)
        var parts: [String] = []
        var partStart = 0
        var position = 0
        while position + needle.count <= haystack.count {
            if haystack[position..<(position + needle.count)].elementsEqual(needle) {
                parts.append(String(decoding: haystack[partStart..<position], as: UTF8.self))
                position += needle.count
                partStart = position
            } else {
                position += 1
            }
        }
        parts.append(String(decoding: haystack[partStart...], as: UTF8.self))
        return parts
    }

    /// Go's `strings.ReplaceAll`: an empty `old` inserts `new` around every rune.
    private static func replace(_ text: String, _ old: String, _ new: String) -> String {
        if old.isEmpty {
            return new + text.unicodeScalars.map { String($0) + new }.joined()
        }
        return split(text, old).joined(separator: new)
    }

    /// An `indent`/`nindent` width, refused past 1 MiB of spaces per line.
    private static func indentWidth(_ argument: TemplateValue) throws(CloakError) -> Int {
        let width = try Arguments.int(argument, "indent")
        guard width <= 1 << 20 else { throw Arguments.failure("indent width \(width) is too large") }
        return width
    }

    private static func indent(_ count: Int, _ text: String) -> String {
        let padding = String(repeating: " ", count: max(0, count))
        return padding + split(text, "\n").joined(separator: "\n" + padding)
    }

    /// sprig's `strslice`: a list's items as strings (nil items dropped), or the value itself as one string.
    private static func stringList(_ value: TemplateValue) -> [String] {
        switch value {
        case .list(let items): return items.filter { $0 != .null }.map(Arguments.text)
        case .null: return []
        default: return [Arguments.text(value)]
        }
    }

    // MARK: Collections and defaults

    private static func registerCollections(into functions: inout TemplateFunctions) {
        functions.register("default") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            guard arguments.count > 1, arguments[1].isTruthy else { return arguments[0] }
            return arguments[1]
        }
        functions.register("empty") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .bool(!arguments[0].isTruthy)
        }
        functions.register("coalesce") { (arguments) throws(CloakError) in
            arguments.first(where: \.isTruthy) ?? .null
        }
        functions.register("ternary") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 3)
            guard case .bool(let condition) = arguments[2] else {
                throw Arguments.failure("condition has type \(arguments[2].goTypeName); should be bool")
            }
            return condition ? arguments[0] : arguments[1]
        }
        functions.register("list") { (arguments) throws(CloakError) in .list(arguments) }
        functions.register("dict") { (arguments) throws(CloakError) in
            var map = TemplateMap()
            var position = 0
            while position < arguments.count {
                let key = Arguments.text(arguments[position])
                map[key] = position + 1 < arguments.count ? arguments[position + 1] : .string("")
                position += 2
            }
            return .map(map)
        }
        functions.register("get") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let map = try mapArgument(arguments[0])
            return map[Arguments.text(arguments[1])] ?? .string("")
        }
        functions.register("hasKey") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            return .bool(try mapArgument(arguments[0])[Arguments.text(arguments[1])] != nil)
        }
        functions.register("keys") { (arguments) throws(CloakError) in
            var keys: [String] = []
            for argument in arguments { keys += try mapArgument(argument).keys }
            return .list(keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { .string($0) })
        }
        functions.register("merge") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            var result = try mapArgument(arguments[0])
            for source in arguments.dropFirst() { result = merge(result, try mapArgument(source), overwrite: false) }
            return .map(result)
        }
        functions.register("mergeOverwrite") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            var result = try mapArgument(arguments[0])
            for source in arguments.dropFirst() { result = merge(result, try mapArgument(source), overwrite: true) }
            return .map(result)
        }
        functions.register("first") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            guard case .list(let items) = arguments[0] else { return .null }
            return items.first ?? .null
        }
        functions.register("last") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            guard case .list(let items) = arguments[0] else { return .null }
            return items.last ?? .null
        }
        functions.register("has") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            guard case .list(let items) = arguments[1] else { return .bool(false) }
            return .bool(items.contains(arguments[0]))
        }
    }

    private static func mapArgument(_ value: TemplateValue) throws(CloakError) -> TemplateMap {
        switch value {
        case .map(let map): return map
        case .null: return TemplateMap()
        default: throw Arguments.failure("argument has type \(value.goTypeName); should be map[string]interface {}")
        }
    }

    /// mergo's deep merge: nested maps merge; otherwise the destination keeps its non-empty values unless
    /// `overwrite`.
    private static func merge(_ destination: TemplateMap, _ source: TemplateMap, overwrite: Bool) -> TemplateMap {
        var result = destination
        for (key, value) in source.entries {
            switch (result[key], value) {
            case (.map(let inner)?, .map(let incoming)):
                result[key] = .map(merge(inner, incoming, overwrite: overwrite))
            case (let existing?, _) where existing.isTruthy && !overwrite:
                continue
            case (_, _) where overwrite && !value.isTruthy && result[key] != nil:
                continue
            default:
                result[key] = value
            }
        }
        return result
    }

    // MARK: Conversions

    private static func registerConversions(into functions: inout TemplateFunctions) {
        functions.register("toString") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .string(Arguments.text(arguments[0]))
        }
        functions.register("toJson") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .string(json(arguments[0], indent: nil))
        }
        functions.register("toPrettyJson") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .string(json(arguments[0], indent: "  "))
        }
        functions.register("fromJson") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            // sprig's fromJson swallows errors and yields an empty map; mustFromJson reports them.
            guard let value = try? parseJSON(Arguments.text(arguments[0])), case .map = value else {
                return .map(TemplateMap())
            }
            return value
        }
        functions.register("mustFromJson") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return try parseJSON(Arguments.text(arguments[0]))
        }
        functions.register("atoi") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .int(Int(Arguments.text(arguments[0])) ?? 0)
        }
        for name in ["int", "int64"] {
            functions.register(name) { (arguments) throws(CloakError) in
                try Arguments.expect(arguments, 1)
                return .int(toInt(arguments[0]))
            }
        }
        functions.register("float64") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .float(toFloat(arguments[0]))
        }
    }

    private static func json(_ value: TemplateValue, indent: String?) -> String {
        JSON.serialize(value.node, options: JSONOptions(indent: indent, trailingNewline: false))
    }

    /// Decodes JSON as Go's `json.Unmarshal` into `any` does: every number becomes a float64.
    private static func parseJSON(_ text: String) throws(CloakError) -> TemplateValue {
        func convert(_ node: Node) -> TemplateValue {
            switch node.content {
            case .scalar(let text, .plain):
                if text == "null" { return .null }
                if text == "true" || text == "false" { return .bool(text == "true") }
                return .float(Double(text) ?? 0)
            case .scalar(let text, _): return .string(text)
            case .sequence(let items): return .list(items.map(convert))
            case .mapping(let pairs):
                return .map(TemplateMap(pairs.map { ($0.key.scalarText ?? "", convert($0.value)) }))
            }
        }
        return convert(try JSON.parse(text, file: "fromJson"))
    }

    /// spf13/cast `ToInt64`: numbers truncated, strings parsed (Go base prefixes allowed), bools 1/0, else 0.
    static func toInt(_ value: TemplateValue) -> Int {
        switch value {
        case .int(let number): return number
        case .float(let number): return number.isFinite && abs(number) < 9.2e18 ? Int(number) : 0
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            var trimmed = text
            // cast drops a ".0…" tail before parsing ("3.00" → 3).
            if let dot = trimmed.firstIndex(of: "."), trimmed[trimmed.index(after: dot)...].allSatisfy({ $0 == "0" }) {
                trimmed = String(trimmed[..<dot])
            }
            if case .int(let number) = ResolvedScalar.resolvePlain(trimmed), !trimmed.contains("_") { return number }
            return 0
        default: return 0
        }
    }

    /// spf13/cast `ToFloat64`.
    static func toFloat(_ value: TemplateValue) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .float(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text): return Double(text) ?? 0
        default: return 0
        }
    }

    // MARK: Math (sprig's int64 arithmetic)

    private static func registerMath(into functions: inout TemplateFunctions) {
        functions.register("add") { (arguments) throws(CloakError) in
            .int(arguments.reduce(0) { $0 &+ toInt($1) })
        }
        functions.register("add1") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .int(toInt(arguments[0]) &+ 1)
        }
        functions.register("sub") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            return .int(toInt(arguments[0]) &- toInt(arguments[1]))
        }
        functions.register("mul") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            return .int(arguments.reduce(1) { $0 &* toInt($1) })
        }
        functions.register("div") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let divisor = toInt(arguments[1])
            guard divisor != 0 else { throw Arguments.failure("integer divide by zero") }
            return .int(toInt(arguments[0]).dividedReportingOverflow(by: divisor).partialValue)
        }
        functions.register("mod") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let divisor = toInt(arguments[1])
            guard divisor != 0 else { throw Arguments.failure("integer divide by zero") }
            return .int(toInt(arguments[0]).remainderReportingOverflow(dividingBy: divisor).partialValue)
        }
        functions.register("max") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            return .int(arguments.map(toInt).max() ?? 0)
        }
        functions.register("min") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            return .int(arguments.map(toInt).min() ?? 0)
        }
    }
}
