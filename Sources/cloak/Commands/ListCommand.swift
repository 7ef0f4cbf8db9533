import CLI
import Core
import Resolve

/// `cloak list stacks|components`.
enum List {
    static let spec = CommandSpec(
        group: "list",
        abstract: "List declared secrets (default), stacks, or the components of a stack.",
        subcommands: [ListSecrets.spec, ListStacks.spec, ListComponents.spec],
        defaultSubcommand: "secrets"
    )
}

struct ListStacks: Command {
    static let spec = CommandSpec(
        ListStacks.self, name: "stacks", abstract: "List every stack name, one per line.", options: GlobalOptions.options)
    let global: GlobalOptions

    init(_ arguments: ParsedArguments) {
        global = GlobalOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let entries = try global.catalog().entries()
            Console.out(entries.map { $0.name + "\n" }.joined())
        }
    }
}

struct ListComponents: Command {
    static let spec = CommandSpec(
        ListComponents.self, name: "components", abstract: "List the component instances of a stack, one per line.",
        options: [stack, type, abstract] + GlobalOptions.options)
    static let stack = OptionSpec.value("stack", short: "s", help: "Stack name.", required: true, completion: Completions.stacks)
    static let type = OptionSpec.value("type", help: "Only components of this type.")
    static let abstract = OptionSpec.flag("abstract", help: "Include abstract (non-deployable) components.")

    let stack: String
    let type: String?
    let includeAbstract: Bool
    let global: GlobalOptions

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        stack = try arguments.required(Self.stack)
        type = arguments.string(Self.type)
        includeAbstract = arguments.flag(Self.abstract)
        global = GlobalOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let catalog = try global.catalog()
            var lines: [String] = []
            for (t, name) in try catalog.componentNames(stack: stack) where type == nil || type == t {
                if !includeAbstract, try catalog.component(name, stack: stack, type: t).isAbstract { continue }
                lines.append(name)
            }
            Console.out(lines.map { $0 + "\n" }.joined())
        }
    }
}
