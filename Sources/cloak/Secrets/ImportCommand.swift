import CLI
import Core
import Resolve

struct Import: Command {
    static let spec = CommandSpec(
        Import.self, name: "import",
        abstract: "Import values from a dotenv/JSON file (or - for stdin), or copy one from another store coordinate.",
        discussion: "Keys that are not declared are skipped. With --from-* flags, NAME is read from the given store coordinate and the source is left in place.",
        options: [format, dryRun, fromStore, fromStack, fromComponent, fromKey] + ScopeOptions.options, arguments: [source]
    )
    static let source = ArgumentSpec("source", help: "A file (or -) in file mode; a declared NAME with --from-* flags.")
    static let format = OptionSpec.value("format", help: "env or json (file mode only; default env).")
    static let dryRun = OptionSpec.flag("dry-run", help: "Show what would be imported; write nothing.")
    static let fromStore = OptionSpec.value("from-store", help: "Source store (default: the declaration's own store).")
    static let fromStack = OptionSpec.value("from-stack", help: "Source stack segment.")
    static let fromComponent = OptionSpec.value("from-component", help: "Source component segment.")
    static let fromKey = OptionSpec.value("from-key", help: "Source key (default: NAME).")

    let source: String
    let format: String?
    let dryRun: Bool
    let fromStore: String?
    let fromStack: String?
    let fromComponent: String?
    let fromKey: String?
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        source = try arguments.required(Self.source)
        format = arguments.string(Self.format)
        dryRun = arguments.flag(Self.dryRun)
        fromStore = arguments.string(Self.fromStore)
        fromStack = arguments.string(Self.fromStack)
        fromComponent = arguments.string(Self.fromComponent)
        fromKey = arguments.string(Self.fromKey)
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            if fromStore != nil || fromStack != nil || fromComponent != nil || fromKey != nil {
                try importFromStore()
                return
            }
            let entries = try SecretFileInput.read(source, format: format ?? "env").sorted { $0.key < $1.key }
            let context = try SecretContext(scope)
            let stack = try context.requireStack(scope)
            let component = try context.requireComponent(scope, stack: stack)
            let resolved = try context.catalog.component(component, stack: stack, type: scope.type)
            let service = try SecretService(component: resolved, config: context.catalog.config, backends: context.backends)
            var imported = 0
            var skipped = 0
            for (key, text) in entries {
                guard service.declarations.contains(where: { $0.name == key }) else {
                    Console.err("⚠ Skipping undeclared key `\(key)`")
                    skipped += 1
                    continue
                }
                if dryRun {
                    Console.err("Would import `\(key)`")
                } else {
                    var bytes = Array(text.utf8)
                    let value = SecretValue.text(SecretBytes(consuming: &bytes))
                    context.masker.register(value)
                    _ = try service.set(key, value, componentGiven: false)
                }
                imported += 1
            }
            if dryRun {
                Console.err("Dry run: \(imported) would be imported, \(skipped) skipped (undeclared)")
            } else {
                Console.err("✓ Imported \(imported) secret(s), skipped \(skipped) undeclared")
            }
        }
    }

    private func importFromStore() throws(CloakError) {
        if format != nil { throw CloakError(.usage, "mutually exclusive flags provided: --format applies to file mode only") }
        let name = source
        let context = try SecretContext(scope)
        let service = try context.service(scope, forName: name)
        let decl = try service.declaration(name)
        var storeName = fromStore
        if storeName == nil, case .store(let own) = decl.backend { storeName = own }
        guard let storeName else {
            throw CloakError(.usage, "import source store is required: secret \"\(name)\" is not store-backed; pass --from-store")
        }
        guard let store = service.stores[storeName] else {
            throw CloakError(.config, "referenced store is not configured: \"\(storeName)\" (secret \"\(name)\")")
        }
        let coordinate = SecretCoordinate(stack: fromStack ?? "", component: fromComponent ?? "", key: fromKey ?? name)
        let value: SecretValue
        do {
            value = try context.backends.store(store).get(coordinate)
        } catch {
            throw CloakError(error.code, "failed to read import source value: store \"\(storeName)\" (\(coordinate)): \(error.message)")
        }
        context.masker.register(value)
        if dryRun {
            Console.err("Would import `\(name)` from the source coordinate (source verified readable)")
            return
        }
        _ = try service.set(name, value, componentGiven: scope.componentName != nil)
        Console.err("✓ Imported `\(name)` from its source coordinate (the source value was left in place)")
    }
}
