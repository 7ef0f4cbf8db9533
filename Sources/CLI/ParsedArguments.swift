/// The words of one command line sorted by the command's spec: the values of each option, each positional
/// argument's words, and the passthrough after `--`. Only `CommandLineParser` fills it; typed initializers read it.
public struct ParsedArguments: Sendable {
    /// The commands from the root down to the one that runs.
    public let path: [CommandSpec]
    /// Per entry of `command.options`, the values in order (one empty string per occurrence of a flag).
    var optionValues: [[String]]
    /// Per entry of `command.arguments`, the words it took.
    var argumentValues: [[String]]
    /// The words after `--` (empty when there were none).
    public internal(set) var passthrough: [String] = []

    init(path: [CommandSpec]) {
        self.path = path
        let command = path[path.count - 1]
        optionValues = Array(repeating: [], count: command.options.count)
        argumentValues = Array(repeating: [], count: command.arguments.count)
    }

    /// The command that runs.
    public var command: CommandSpec { path[path.count - 1] }

    /// `cloak list secrets`, as messages name the command.
    public var commandPath: String { path.map(\.name).joined(separator: " ") }

    /// The option's value, or its default; nil when neither exists.
    public func string(_ option: OptionSpec) -> String? {
        values(option).last ?? option.defaultValue
    }

    /// Every value of a repeatable option, in order.
    public func strings(_ option: OptionSpec) -> [String] {
        values(option)
    }

    /// Whether the flag was given.
    public func flag(_ option: OptionSpec) -> Bool {
        !values(option).isEmpty
    }

    /// A `true`/`false` option (the parser already refused anything else).
    public func bool(_ option: OptionSpec) -> Bool? {
        string(option).map { $0 == "true" }
    }

    /// An option whose value names a case of `T` (the parser already refused other values).
    public func choice<T: ArgumentChoice>(_ option: OptionSpec, as type: T.Type) -> T? {
        string(option).flatMap(T.init(rawValue:))
    }

    /// The value of an option the command cannot do without.
    public func required(_ option: OptionSpec) throws(CommandLineError) -> String {
        guard let value = string(option) else {
            throw CommandLineError("missing required option '\(option.displayName) <\(option.valueName)>'", command: commandPath)
        }
        return value
    }

    /// The word of an optional positional argument.
    public func argument(_ argument: ArgumentSpec) -> String? {
        words(argument).first
    }

    /// The word of a required positional argument.
    public func required(_ argument: ArgumentSpec) throws(CommandLineError) -> String {
        guard let value = words(argument).first else {
            throw CommandLineError("missing argument <\(argument.name)>", command: commandPath)
        }
        return value
    }

    /// Every word of a variadic positional argument.
    public func arguments(_ argument: ArgumentSpec) -> [String] {
        words(argument)
    }

    private func values(_ option: OptionSpec) -> [String] {
        let id = option.id
        guard let index = command.options.firstIndex(where: { $0.id == id }) else {
            preconditionFailure("\(commandPath) does not declare \(option.displayName)")
        }
        return optionValues[index]
    }

    private func words(_ argument: ArgumentSpec) -> [String] {
        let name = argument.name
        guard let index = command.arguments.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("\(commandPath) does not declare <\(name)>")
        }
        return argumentValues[index]
    }
}
