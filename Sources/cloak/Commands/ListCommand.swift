import ArgumentParser
import Core
import Resolve

/// `cloak list stacks|components`.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List declared secrets (default), stacks, or the components of a stack.",
        subcommands: [ListSecrets.self, ListStacks.self, ListComponents.self],
        defaultSubcommand: ListSecrets.self
    )
}

struct ListStacks: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stacks", abstract: "List every stack name, one per line.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Reporting.run {
            let entries = try global.catalog().entries()
            Console.out(entries.map { $0.name + "\n" }.joined())
        }
    }
}

struct ListComponents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components", abstract: "List the component instances of a stack, one per line.")
    @Option(name: .shortAndLong, help: "Stack name.") var stack: String
    @Option(name: .customLong("type"), help: "Only components of this type.") var type: String?
    @Flag(name: .customLong("abstract"), help: "Include abstract (non-deployable) components.") var includeAbstract = false
    @OptionGroup var global: GlobalOptions

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
