import Synchronization

/// Everything the parser, help and completion know about one command: name, text, options, positional arguments,
/// subcommands and the `--` passthrough. Built once from literals; parsing only reads it.
public final class CommandSpec: Sendable {
    /// The word that selects the command (`exec`).
    public let name: String
    /// Other names that select the command (`delete` is also `rm`).
    public let aliases: [String]
    /// One line for the parent's SUBCOMMANDS list and the top of help.
    public let abstract: String
    /// Paragraphs after the overview in help (may be empty).
    public let discussion: String
    /// Every option, option groups included, in the order help lists them.
    public let options: [OptionSpec]
    /// The positional arguments, in the order they are given.
    public let arguments: [ArgumentSpec]
    /// Whether (and as what) the words after `--` are taken as they are.
    public let passthrough: PassthroughSpec?
    /// The commands below this one, in the order help lists them.
    public let subcommands: [CommandSpec]
    /// The subcommand run when none is named (`cloak list` is `cloak list secrets`).
    public let defaultSubcommand: String?
    /// Left out of help and completion.
    public let isHidden: Bool
    /// Builds the typed command and runs it; nil for a group, whose bare invocation prints help.
    public let run: (@Sendable (ParsedArguments) throws -> Void)?
    /// For a deferred entry: what builds the full spec, and the spec once built.
    private let builder: (@Sendable () -> CommandSpec)?
    private let built = Mutex<CommandSpec?>(nil)

    /// A command whose run builds the typed `C` from the parsed line and runs it.
    public convenience init<C: Command>(
        _ type: C.Type, name: String, aliases: [String] = [], abstract: String, discussion: String = "",
        options: [OptionSpec] = [], arguments: [ArgumentSpec] = [], passthrough: PassthroughSpec? = nil,
        subcommands: [CommandSpec] = [], hidden: Bool = false
    ) {
        self.init(
            name: name, aliases: aliases, abstract: abstract, discussion: discussion, options: options, arguments: arguments,
            passthrough: passthrough, subcommands: subcommands, hidden: hidden, run: { arguments in try C(arguments).run() })
    }

    /// A group of subcommands that does nothing itself (`cloak sops`): bare, it prints its help.
    public convenience init(group name: String, abstract: String, discussion: String = "", subcommands: [CommandSpec], defaultSubcommand: String? = nil) {
        self.init(
            name: name, abstract: abstract, discussion: discussion, subcommands: subcommands, defaultSubcommand: defaultSubcommand,
            run: nil)
    }

    /// A command with an explicit run (for commands built from data, such as the tool runners).
    public init(
        name: String, aliases: [String] = [], abstract: String, discussion: String = "", options: [OptionSpec] = [],
        arguments: [ArgumentSpec] = [], passthrough: PassthroughSpec? = nil, subcommands: [CommandSpec] = [],
        defaultSubcommand: String? = nil, hidden: Bool = false, run: (@Sendable (ParsedArguments) throws -> Void)?
    ) {
        self.name = name
        self.aliases = aliases
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.passthrough = passthrough
        self.subcommands = subcommands
        self.defaultSubcommand = defaultSubcommand
        self.isHidden = hidden
        self.run = run
        builder = nil
    }

    /// A subcommand known by its names until it is used: `build` makes the full spec when the command line selects
    /// it, or help and completion list the commands. Building every command's spec at every start touched the
    /// code pages of all their initializers (~0.15 ms of each run).
    public init(deferred name: String, aliases: [String] = [], hidden: Bool = false, _ build: @escaping @Sendable () -> CommandSpec) {
        self.name = name
        self.aliases = aliases
        abstract = ""
        discussion = ""
        options = []
        arguments = []
        passthrough = nil
        subcommands = []
        defaultSubcommand = nil
        isHidden = hidden
        run = nil
        builder = build
    }

    /// The full spec: itself, or for a deferred entry the spec its builder makes (once).
    public var resolved: CommandSpec {
        guard let builder else { return self }
        return built.withLock { (spec: inout CommandSpec?) -> CommandSpec in
            if let spec { return spec }
            let made = builder()
            precondition(made.name == name, "deferred command '\(name)' built a spec named '\(made.name)'")
            spec = made
            return made
        }
    }

    /// The subcommand called `word` (by name or alias).
    public func subcommand(named word: String) -> CommandSpec? {
        subcommands.first { $0.name == word || $0.aliases.contains(word) }?.resolved
    }

    /// The option spelled `--name` (given without the dashes).
    func option(long name: Substring) -> Int? {
        options.firstIndex { $0.matches(long: name) }
    }

    /// The option spelled `-c`.
    func option(short: Character) -> Int? {
        options.firstIndex { $0.short == short }
    }
}
