public import Core

/// The functions a template may call by name: Go's builtins plus the sprig subset in `standard`, and whatever a
/// caller registers.
///
/// `and` and `or` are not in the table: they short-circuit, so the executor evaluates them itself.
public struct TemplateFunctions: Sendable {
    /// A template function: receives evaluated arguments (a piped value comes last) and returns one value. A thrown
    /// error's message is reported as `error calling <name>: <message>` at the call's location.
    public typealias Function = @Sendable (_ arguments: [TemplateValue]) throws(CloakError) -> TemplateValue

    private var table: [String: Function]

    /// An empty set (only `and` and `or` remain available).
    public init() {
        table = [:]
    }

    /// Go's builtins (`eq`, `len`, `index`, `printf`, …) and the supported sprig functions (`default`, `toJson`, …).
    public static let standard: TemplateFunctions = {
        var functions = TemplateFunctions()
        TemplateBuiltins.register(into: &functions)
        SprigFunctions.register(into: &functions)
        return functions
    }()

    /// The function registered under `name`; assign to add, replace or (with `nil`) remove one.
    public subscript(name: String) -> Function? {
        get { table[name] }
        set { table[name] = newValue }
    }

    /// Adds or replaces a function.
    public mutating func register(_ name: String, _ function: @escaping Function) {
        table[name] = function
    }

    /// Whether a template may call `name`.
    public func contains(_ name: String) -> Bool {
        name == "and" || name == "or" || table[name] != nil
    }

    /// All registered names, sorted.
    public var names: [String] { table.keys.sorted() }
}

/// Argument checking shared by the function implementations.
enum TemplateArguments {
    static func failure(_ message: String) -> CloakError {
        CloakError(.config, message)
    }

    static func expect(_ arguments: [TemplateValue], _ count: Int) throws(CloakError) {
        guard arguments.count == count else {
            throw failure("wrong number of args: want \(count) got \(arguments.count)")
        }
    }

    static func expectAtLeast(_ arguments: [TemplateValue], _ count: Int) throws(CloakError) {
        guard arguments.count >= count else {
            throw failure("wrong number of args: want at least \(count) got \(arguments.count)")
        }
    }

    /// A string argument; other types are an error, as for a Go `string` parameter.
    static func string(_ value: TemplateValue, _ what: String = "argument") throws(CloakError) -> String {
        guard case .string(let text) = value else {
            throw failure("\(what) has type \(value.goTypeName); should be string")
        }
        return text
    }

    /// An integer argument (integral floats accepted, as untyped Go constants are).
    static func int(_ value: TemplateValue, _ what: String = "argument") throws(CloakError) -> Int {
        switch value {
        case .int(let number): return number
        case .float(let number) where number.rounded() == number && abs(number) < 9.0e18: return Int(number)
        default: throw failure("\(what) has type \(value.goTypeName); should be int")
        }
    }

    /// sprig's `strval`: strings as they are, everything else in `%v` form.
    static func text(_ value: TemplateValue) -> String {
        if case .string(let text) = value { return text }
        return GoFormat.format(value, verb: "v")
    }
}
