/// One option a command accepts: its spellings, whether it takes a value, and how it is described and completed.
public struct OptionSpec: Sendable {
    /// What an option does with the words it is given.
    public enum Kind: Sendable {
        /// `--name`: present or not; takes no value.
        case flag
        /// `--name VALUE`: at most once.
        case value
        /// `--name VALUE`, as often as the user likes; the values are kept in order.
        case repeated
    }

    /// Long names without the leading `--`; the first is the option's identity and the one help shows first.
    public let longNames: [String]
    /// The single-letter name (`-s`), if any.
    public let short: Character?
    /// Flag, single value or repeatable value.
    public let kind: Kind
    /// What help calls the value (`<stack>`).
    public let valueName: String
    /// One line for the OPTIONS section of help.
    public let help: String
    /// The only values accepted, when the set is fixed (enum cases, `true`/`false`); empty for any value.
    public let choices: [String]
    /// The value used when the option is absent; help shows it as `(default: …)`.
    public let defaultValue: String?
    /// Whether the command cannot run without it.
    public let isRequired: Bool
    /// How its value completes in the shell (`choices`, when set, come first).
    public let completion: CompletionKind

    private init(
        _ longNames: [String], short: Character?, kind: Kind, valueName: String?, help: String, choices: [String],
        defaultValue: String?, isRequired: Bool, completion: CompletionKind
    ) {
        self.longNames = longNames
        self.short = short
        self.kind = kind
        self.valueName = valueName ?? longNames[0]
        self.help = help
        self.choices = choices
        self.defaultValue = defaultValue
        self.isRequired = isRequired
        self.completion = completion
    }

    /// The identity by which a command's typed initializer asks for the option's value.
    public var id: String { longNames[0] }

    /// `--stack` (the first long name), as messages spell the option.
    public var displayName: String { "--" + longNames[0] }

    /// A flag such as `--pristine` or `-f, --force`.
    public static func flag(_ long: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(
            [long], short: short, kind: .flag, valueName: nil, help: help, choices: [], defaultValue: nil, isRequired: false,
            completion: .none)
    }

    /// An option with one value, given at most once (`--stack dev`, `--stack=dev`, `-s dev`, `-sdev`).
    public static func value(
        _ long: String, short: Character? = nil, valueName: String? = nil, help: String, choices: [String] = [],
        default defaultValue: String? = nil, required: Bool = false, completion: CompletionKind = .none
    ) -> OptionSpec {
        OptionSpec(
            [long], short: short, kind: .value, valueName: valueName, help: help, choices: choices, defaultValue: defaultValue,
            isRequired: required, completion: completion)
    }

    /// A `true`/`false` option (`--mask false`, `--mask=false`).
    public static func bool(_ long: String, help: String, default defaultValue: Bool? = nil) -> OptionSpec {
        value(long, help: help, choices: ["true", "false"], default: defaultValue.map { $0 ? "true" : "false" })
    }

    /// An option whose values accumulate, under one or more long names (`--config-path A --config B`).
    public static func repeated(_ longNames: [String], valueName: String? = nil, help: String) -> OptionSpec {
        OptionSpec(
            longNames, short: nil, kind: .repeated, valueName: valueName, help: help, choices: [], defaultValue: nil,
            isRequired: false, completion: .none)
    }

    /// Whether `-x` or `--x` (without dashes: `x`) names this option.
    func matches(long name: Substring) -> Bool { longNames.contains { $0 == name } }
}
