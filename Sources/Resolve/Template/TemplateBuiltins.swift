internal import Core

/// Go's `text/template` builtin functions (except `and`/`or`, which the executor short-circuits, and `call`).
enum TemplateBuiltins {
    typealias Arguments = TemplateArguments

    static func register(into functions: inout TemplateFunctions) {
        functions.register("not") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .bool(!arguments[0].isTruthy)
        }
        functions.register("len") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 1)
            return .int(try length(arguments[0]))
        }
        functions.register("index") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            return try index(arguments[0], arguments.dropFirst())
        }
        functions.register("slice") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            return try slice(arguments[0], Array(arguments.dropFirst()))
        }
        functions.register("print") { (arguments) throws(CloakError) in .string(GoFormat.sprint(arguments)) }
        functions.register("println") { (arguments) throws(CloakError) in .string(GoFormat.sprintln(arguments)) }
        functions.register("printf") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 1)
            let format = try Arguments.string(arguments[0], "format")
            return .string(GoFormat.sprintf(format, Array(arguments.dropFirst())))
        }
        functions.register("html") { (arguments) throws(CloakError) in .string(html(evalArgs(arguments))) }
        functions.register("js") { (arguments) throws(CloakError) in .string(javaScript(evalArgs(arguments))) }
        functions.register("urlquery") { (arguments) throws(CloakError) in .string(queryEscape(evalArgs(arguments))) }
        functions.register("eq") { (arguments) throws(CloakError) in
            try Arguments.expectAtLeast(arguments, 2)
            for other in arguments.dropFirst() {
                if try equal(arguments[0], other) { return .bool(true) }
            }
            return .bool(false)
        }
        functions.register("ne") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let same = try equal(arguments[0], arguments[1])
            return .bool(!same)
        }
        functions.register("lt") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            return .bool(try less(arguments[0], arguments[1]))
        }
        functions.register("le") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let isLess = try less(arguments[0], arguments[1])
            let same = try equal(arguments[0], arguments[1])
            return .bool(isLess || same)
        }
        functions.register("gt") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let isLess = try less(arguments[0], arguments[1])
            let same = try equal(arguments[0], arguments[1])
            return .bool(!(isLess || same))
        }
        functions.register("ge") { (arguments) throws(CloakError) in
            try Arguments.expect(arguments, 2)
            let isLess = try less(arguments[0], arguments[1])
            return .bool(!isLess)
        }
    }

    /// Go's `evalArgs` for the escapers: a single string as is, otherwise `fmt.Sprint` of all arguments.
    private static func evalArgs(_ arguments: [TemplateValue]) -> String {
        if arguments.count == 1, case .string(let text) = arguments[0] { return text }
        return GoFormat.sprint(arguments)
    }

    static func length(_ value: TemplateValue) throws(CloakError) -> Int {
        switch value {
        case .string(let text): return text.utf8.count
        case .list(let items): return items.count
        case .map(let map): return map.count
        case .null: throw Arguments.failure("len of nil pointer")
        default: throw Arguments.failure("len of type \(value.goTypeName)")
        }
    }

    private static func index(_ base: TemplateValue, _ keys: ArraySlice<TemplateValue>) throws(CloakError)
        -> TemplateValue
    {
        var current = base
        for key in keys {
            switch current {
            case .list(let items):
                let position = try Arguments.int(key, "index")
                guard position >= 0, position < items.count else {
                    throw Arguments.failure("index out of range: \(position)")
                }
                current = items[position]
            case .string(let text):
                let bytes = Array(text.utf8)
                let position = try Arguments.int(key, "index")
                guard position >= 0, position < bytes.count else {
                    throw Arguments.failure("index out of range: \(position)")
                }
                current = .int(Int(bytes[position]))
            case .map(let map):
                current = map[try Arguments.string(key, "value")] ?? .null
            case .null:
                throw Arguments.failure("index of untyped nil")
            default:
                throw Arguments.failure("can't index item of type \(current.goTypeName)")
            }
        }
        return current
    }

    private static func slice(_ base: TemplateValue, _ bounds: [TemplateValue]) throws(CloakError) -> TemplateValue {
        let count: Int
        switch base {
        case .string(let text):
            guard bounds.count <= 2 else { throw Arguments.failure("cannot 3-index slice a string") }
            count = text.utf8.count
        case .list(let items): count = items.count
        case .null: throw Arguments.failure("slice of untyped nil")
        default: throw Arguments.failure("can't slice item of type \(base.goTypeName)")
        }
        guard bounds.count <= 3 else { throw Arguments.failure("too many slice indexes: \(bounds.count)") }
        var indexes: [Int] = []
        for bound in bounds {
            let value = try Arguments.int(bound, "slice index")
            guard value >= 0, value <= count else { throw Arguments.failure("index out of range: \(value)") }
            indexes.append(value)
        }
        let low = indexes.first ?? 0
        let high = indexes.count > 1 ? indexes[1] : count
        guard low <= high else { throw Arguments.failure("invalid slice index: \(low) > \(high)") }
        if indexes.count == 3, indexes[2] < high {
            throw Arguments.failure("invalid slice index: \(high) > \(indexes[2])")
        }
        switch base {
        case .string(let text): return .string(String(decoding: Array(text.utf8)[low..<high], as: UTF8.self))
        case .list(let items): return .list(Array(items[low..<high]))
        default: return .null
        }
    }

    // MARK: Comparison

    private enum Kind { case bool, number, string, other }

    private static func kind(_ value: TemplateValue) -> Kind {
        switch value {
        case .bool: return .bool
        case .int, .float: return .number
        case .string: return .string
        default: return .other
        }
    }

    /// Go's `eq` for two values: basic kinds compare by value, nil equals only nil, lists and maps are not
    /// comparable. Ints and floats compare numerically (Go would call that an incompatible comparison).
    static func equal(_ left: TemplateValue, _ right: TemplateValue) throws(CloakError) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.int, .float), (.float, .int), (.float, .float): return number(left) == number(right)
        default:
            if kind(left) == .other || kind(right) == .other {
                throw Arguments.failure("non-comparable type \(kind(left) == .other ? left.goTypeName : right.goTypeName)")
            }
            throw Arguments.failure("incompatible types for comparison")
        }
    }

    static func less(_ left: TemplateValue, _ right: TemplateValue) throws(CloakError) -> Bool {
        switch (left, right) {
        case (.string(let a), .string(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.int(let a), .int(let b)): return a < b
        case (.int, .float), (.float, .int), (.float, .float): return number(left) < number(right)
        default:
            if kind(left) != kind(right) { throw Arguments.failure("incompatible types for comparison") }
            throw Arguments.failure("invalid type for comparison")
        }
    }

    private static func number(_ value: TemplateValue) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .float(let number): return number
        default: return .nan
        }
    }

    // MARK: Escapers

    /// `template.HTMLEscapeString`.
    static func html(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "&#34;"
            case "'": output += "&#39;"
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\u{0}": output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// `template.JSEscapeString`.
    static func javaScript(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "'": output += "\\'"
            case "\"": output += "\\\""
            case "<": output += "\\u003C"
            case ">": output += "\\u003E"
            case "&": output += "\\u0026"
            case "=": output += "\\u003D"
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x80 && !GoFormat.isPrintable(scalar)) {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    output += "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                output += "%"
                output.unicodeScalars.append(hex[Int(byte >> 4)])
                output.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return output
    }
}
