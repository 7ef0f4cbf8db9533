import CLI
import Core
import Resolve

struct Delete: Command {
    static let spec = CommandSpec(
        Delete.self, name: "delete", aliases: ["rm", "unset"],
        abstract: "Remove a secret's value from its backend (the declaration stays).",
        options: [force, all] + ScopeOptions.options, arguments: [name])
    static let name = ArgumentSpec("name", .optional, help: "The declared secret name.", completion: Completions.secrets)
    static let force = OptionSpec.flag("force", short: "f", help: "Do not ask for confirmation.")
    static let all = OptionSpec.flag("all", help: "Delete every declared secret of the component.")

    let name: String?
    let force: Bool
    let all: Bool
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) {
        name = arguments.argument(Self.name)
        force = arguments.flag(Self.force)
        all = arguments.flag(Self.all)
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            if all {
                try deleteAll()
                return
            }
            guard let name, !name.isEmpty else {
                throw CloakError(.usage, "a secret NAME is required (or use --all to delete every declared secret)")
            }
            if !force {
                guard try Prompt.confirm("Delete secret `\(name)` from its backend?") else {
                    Console.err("⚠ Aborted")
                    return
                }
            }
            let context = try SecretContext(scope)
            let service = try context.service(scope, forName: name)
            try service.delete(name, componentGiven: scope.componentName != nil)
            if let component = service.component {
                Console.err("✓ Deleted secret `\(name)` for component `\(component)` in stack `\(service.stack)`")
            } else {
                Console.err("✓ Deleted stack-scoped secret `\(name)` for stack `\(service.stack)`")
            }
        }
    }

    private func deleteAll() throws(CloakError) {
        let context = try SecretContext(scope)
        let stack = try context.requireStack(scope)
        let component = try context.requireComponent(scope, stack: stack)
        if !force {
            guard try Prompt.confirm("Delete ALL declared secrets for component `\(component)` in stack `\(stack)`?") else {
                Console.err("⚠ Aborted")
                return
            }
        }
        let resolved = try context.catalog.component(component, stack: stack, type: scope.type)
        let service = try SecretService(component: resolved, config: context.catalog.config, backends: context.backends)
        var count = 0
        for decl in service.declarations {
            try service.delete(decl.name, componentGiven: false)
            count += 1
        }
        Console.err("✓ Deleted \(count) declared secret(s) for component `\(component)` in stack `\(stack)`")
    }
}
