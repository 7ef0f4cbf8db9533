internal import Core
internal import YAML

/// Go's `fmt` printing for template values: `Sprint`, `Sprintln`, `Sprintf` and the `%v` form actions print.
enum GoFormat {
    /// `fmt.Sprint`: operands' `%v` forms, with a space between two operands when neither is a string.
    static func sprint(_ values: [TemplateValue]) -> String {
        var output = ""
        for (position, value) in values.enumerated() {
            if position > 0, !isString(value), !isString(values[position - 1]) { output += " " }
            output += format(value, verb: "v")
        }
        return output
    }

    /// `fmt.Sprintln`: operands separated by spaces, then a newline.
    static func sprintln(_ values: [TemplateValue]) -> String {
        values.map { format($0, verb: "v") }.joined(separator: " ") + "\n"
    }

    private static func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    /// A value's plain `%v` form (`<nil>`, `[a b]`, `map[k:v]`, shortest floats).
    static func format(_ value: TemplateValue, verb: Unicode.Scalar) -> String {
        var spec = Spec()
        spec.verb = verb
        return formatted(value, spec)
    }

    /// One parsed `%…` directive.
    struct Spec {
        var minus = false
        var plus = false
        var sharp = false
        var space = false
        var zero = false
        var width: Int? = nil
        var precision: Int? = nil
        var verb: Unicode.Scalar = "v"
    }

    /// `fmt.Sprintf` over template values, with Go's `%!verb(type=value)`, `%!verb(MISSING)` and `%!(EXTRA …)`
    /// markers for mismatches.
    static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        var output = ""
        var scalars = Array(format.unicodeScalars)[...]
        var argumentIndex = 0
        while let scalar = scalars.popFirst() {
            guard scalar == "%" else {
                output.unicodeScalars.append(scalar)
                continue
            }
            var spec = Spec()
            flags: while let flag = scalars.first {
                switch flag {
                case "-": spec.minus = true
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case " ": spec.space = true
                case "0": spec.zero = true
                default: break flags
                }
                scalars.removeFirst()
            }
            switch readNumber(&scalars, arguments, &argumentIndex) {
            case .absent: break
            case .value(let width) where width < 0:
                // Go: a negative `*` width means left-justify.
                spec.minus = true
                spec.width = -width
            case .value(let width): spec.width = width
            case .bad: output += "%!(BADWIDTH)"
            }
            if scalars.first == "." {
                scalars.removeFirst()
                switch readNumber(&scalars, arguments, &argumentIndex) {
                case .absent: spec.precision = 0
                case .value(let precision) where precision < 0: output += "%!(BADPREC)"
                case .value(let precision): spec.precision = precision
                case .bad: output += "%!(BADPREC)"
                }
            }
            guard let verb = scalars.popFirst() else {
                output += "%!(NOVERB)"
                break
            }
            if verb == "%" {
                output += "%"
                continue
            }
            spec.verb = verb
            guard argumentIndex < arguments.count else {
                output += "%!\(verb)(MISSING)"
                continue
            }
            output += pad(formatted(arguments[argumentIndex], spec), spec, numeric: isNumeric(arguments[argumentIndex]))
            argumentIndex += 1
        }
        if argumentIndex < arguments.count {
            let extra = arguments[argumentIndex...].map { "\($0.goTypeName)=\(self.format($0, verb: "v"))" }
            output += "%!(EXTRA " + extra.joined(separator: ", ") + ")"
        }
        return output
    }

    /// Go's bound on a width or precision: anything larger is "crazy long" and never allocated.
    static let tooLarge = 1_000_000

    /// A width or precision as `readNumber` found it.
    enum Number {
        case absent
        case value(Int)
        /// A `*` without an int argument, or one past `tooLarge`.
        case bad
    }

    /// Digits, or `*` taking an int argument, as Go's `parsenum` and `intFromArg` read them: a digit run past
    /// `tooLarge` swallows the rest of the format (Go then prints `%!(NOVERB)`), and `*` consumes its argument even
    /// when it is not an int.
    private static func readNumber(
        _ scalars: inout ArraySlice<Unicode.Scalar>, _ arguments: [TemplateValue], _ argumentIndex: inout Int
    ) -> Number {
        if scalars.first == "*" {
            scalars.removeFirst()
            guard argumentIndex < arguments.count else { return .bad }
            defer { argumentIndex += 1 }
            guard case .int(let value) = arguments[argumentIndex], value.magnitude <= UInt(tooLarge) else { return .bad }
            return .value(value)
        }
        var value: Int? = nil
        while let scalar = scalars.first, ("0"..."9").contains(scalar) {
            if let current = value, current > tooLarge {
                scalars.removeAll()
                return .absent
            }
            value = (value ?? 0) * 10 + Int(scalar.value - 48)
            scalars.removeFirst()
        }
        return value.map(Number.value) ?? .absent
    }

    private static func isNumeric(_ value: TemplateValue) -> Bool {
        switch value {
        case .int, .float: return true
        default: return false
        }
    }

    /// Pads to the width: spaces on the left (or right with `-`), zeros after the sign with `0`.
    private static func pad(_ text: String, _ spec: Spec, numeric: Bool) -> String {
        guard let width = spec.width else { return text }
        let length = text.unicodeScalars.count
        guard length < width else { return text }
        let padding = width - length
        if spec.minus { return text + String(repeating: " ", count: padding) }
        if spec.zero {
            if numeric, let first = text.unicodeScalars.first, first == "-" || first == "+" || first == " " {
                return String(first) + String(repeating: "0", count: padding) + String(text.unicodeScalars.dropFirst())
            }
            return String(repeating: "0", count: padding) + text
        }
        return String(repeating: " ", count: padding) + text
    }

    private static func bad(_ value: TemplateValue, _ verb: Unicode.Scalar) -> String {
        if case .null = value { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(value.goTypeName)=\(format(value, verb: "v")))"
    }

    private static func formatted(_ value: TemplateValue, _ spec: Spec) -> String {
        let verb = spec.verb
        if verb == "T" { return value.goTypeName }
        switch value {
        case .null:
            return verb == "v" ? "<nil>" : bad(value, verb)
        case .list(let items):
            var inner = spec
            inner.width = nil
            return "[" + items.map { formatted($0, inner) }.joined(separator: " ") + "]"
        case .map(let map):
            var inner = spec
            inner.width = nil
            let body = map.sortedKeys.map { key in
                formatted(.string(key), inner) + ":" + formatted(map[key] ?? .null, inner)
            }
            return "map[" + body.joined(separator: " ") + "]"
        case .bool(let flag):
            return verb == "v" || verb == "t" ? (flag ? "true" : "false") : bad(value, verb)
        case .string(let text):
            switch verb {
            case "v", "s":
                guard let precision = spec.precision else { return text }
                return String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision)))
            case "q": return quote(text, asciiOnly: spec.plus)
            case "x", "X": return Hex.encode(text.utf8, uppercase: verb == "X")
            default: return bad(value, verb)
            }
        case .int(let number):
            return formatInteger(number, spec) ?? bad(value, verb)
        case .float(let number):
            return formatFloat(number, spec) ?? bad(value, verb)
        }
    }

    private static func formatInteger(_ number: Int, _ spec: Spec) -> String? {
        var digits: String
        switch spec.verb {
        case "v", "d": digits = String(number.magnitude)
        case "x": digits = String(number.magnitude, radix: 16)
        case "X": digits = String(number.magnitude, radix: 16, uppercase: true)
        case "o": digits = String(number.magnitude, radix: 8)
        case "b": digits = String(number.magnitude, radix: 2)
        case "c":
            return Unicode.Scalar(UInt32(clamping: number)).map { String(Character($0)) } ?? "\u{FFFD}"
        case "q":
            let scalar = Unicode.Scalar(UInt32(clamping: number)) ?? "\u{FFFD}"
            return "'" + (scalar == "'" ? "\\'" : escaped(scalar, asciiOnly: spec.plus, quote: "'")) + "'"
        default: return nil
        }
        if let precision = spec.precision, digits.count < precision {
            digits = String(repeating: "0", count: precision - digits.count) + digits
        }
        if spec.sharp {
            switch spec.verb {
            case "x": digits = "0x" + digits
            case "X": digits = "0X" + digits
            case "o": digits = "0" + digits
            default: break
            }
        }
        if number < 0 { return "-" + digits }
        if spec.plus { return "+" + digits }
        if spec.space { return " " + digits }
        return digits
    }

    private static func formatFloat(_ number: Double, _ spec: Spec) -> String? {
        let verb = spec.verb
        guard ["v", "f", "F", "e", "E", "g", "G"].contains(verb) else { return nil }
        let sign = number.sign == .minus ? "-" : spec.plus ? "+" : spec.space ? " " : ""
        if number.isNaN { return spec.plus ? "+NaN" : spec.space ? " NaN" : "NaN" }
        if number.isInfinite { return (number < 0 ? "-" : spec.plus || !spec.space ? "+" : " ") + "Inf" }
        // Go prints %v, %g and %G with the shortest digits and %e, %f with six unless a precision is given.
        let shortest = verb == "v" || verb == "g" || verb == "G"
        let layout: Character = verb == "v" ? "g" : verb == "F" ? "f" : Character(verb)
        return sign + GoFloat.format(number.magnitude, layout, precision: spec.precision ?? (shortest ? -1 : 6))
    }

    /// `strconv.Quote`: printable runes kept, the rest escaped.
    static func quote(_ text: String, asciiOnly: Bool = false) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            output += escaped(scalar, asciiOnly: asciiOnly, quote: "\"")
        }
        return output + "\""
    }

    private static func escaped(_ scalar: Unicode.Scalar, asciiOnly: Bool, quote: Unicode.Scalar) -> String {
        switch scalar {
        case quote: return "\\" + String(quote)
        case "\\": return "\\\\"
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{0B}": return "\\v"
        default: break
        }
        let value = scalar.value
        if value < 0x80 {
            if value >= 0x20 && value != 0x7F { return String(scalar) }
            return "\\x" + (value < 0x10 ? "0" : "") + String(value, radix: 16)
        }
        if !asciiOnly && isPrintable(scalar) { return String(scalar) }
        if value < 0x10000 {
            let digits = String(value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        let digits = String(value, radix: 16)
        return "\\U" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return scalar == " "
        }
    }
}
