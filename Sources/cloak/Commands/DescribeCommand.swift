import CLI
import Core
import Resolve
import YAML

/// `cloak describe component|stacks`: print merged configuration with secrets masked, resolving nothing.
enum Describe {
    static let spec = CommandSpec(
        group: "describe",
        abstract: "Show the merged configuration of a component or of every stack.",
        subcommands: [DescribeComponent.spec, DescribeStacks.spec]
    )
}

struct DescribeComponent: Command {
    static let spec = CommandSpec(
        DescribeComponent.self, name: "component",
        abstract: "Show a component's merged sections (vars, env, settings, secrets, metadata, …).",
        discussion: "Values written as `!secret NAME` print as <MASKED>; `!store`/`!store.get` are read from their (non-secret) stores and shown.",
        options: [stack, type, format, query, mask] + GlobalOptions.options, arguments: [component]
    )
    static let component = ArgumentSpec("component", help: "Component instance name.", completion: Completions.components)
    static let stack = OptionSpec.value("stack", short: "s", help: "Stack name.", required: true, completion: Completions.stacks)
    static let type = OptionSpec.value("type", help: "Component type (terraform, helmfile, packer, ansible, …).")
    static let format = OptionSpec.value(
        "format", short: "f", help: "Output format: yaml or json.", choices: OutputFormat.choices, default: "yaml")
    static let query = OptionSpec.value("query", short: "q", help: "Print only this path, e.g. .vars or .secrets.vars.")
    static let mask = OptionSpec.bool("mask", help: "With --mask=false, !secret values are resolved and shown (env ATMOS_MASK).")

    let component: String
    let stack: String
    let type: String?
    let format: OutputFormat
    let query: String?
    let mask: Bool?
    let global: GlobalOptions

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        component = try arguments.required(Self.component)
        stack = try arguments.required(Self.stack)
        type = arguments.string(Self.type)
        format = arguments.choice(Self.format, as: OutputFormat.self) ?? .yaml
        query = arguments.string(Self.query)
        mask = arguments.bool(Self.mask)
        global = GlobalOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let catalog = try global.catalog()
            let resolved = try catalog.component(component, stack: stack, type: type)
            let masking = MaskingSettings(catalog.config, flag: mask)
            let backends = BackendFactory.make(
                environment: .process, auth: catalog.config.document["auth"],
                identity: Environment.process.nonEmpty("ATMOS_IDENTITY"), stores: catalog.config.document["stores"])
            var described = resolved.describe(config: catalog.config)
            var service: SecretService?
            // !store / !store.get read non-secret stores, so they are resolved (and shown) whatever the masking.
            if StoreFunctionResolver.contains(described) {
                let s = try SecretService(component: resolved, config: catalog.config, backends: backends)
                described = try s.resolveStoreFunctions([described])[0]
                service = s
            }
            var node: Node
            if masking.enabled {
                node = Redaction.maskSecretTags(described, replacement: masking.replacement)
                let declarations = node["secrets"]  // `ref:` declarations print as written
                node = RefResolver.maskUnresolved(catalog.maskEncryptedValues(node, replacement: masking.replacement), replacement: masking.replacement)
                node["secrets"] = declarations
            } else {
                let service = try service ?? SecretService(component: resolved, config: catalog.config, backends: backends)
                node = try SecretReferenceResolver.resolve(
                    described,
                    lookup: { (name) throws(CloakError) -> SecretValue in try service.get(name) }, onValue: { _ in })
                let declarations = node["secrets"]
                node = try RefResolver(registry: backends.references).resolve(node)
                node["secrets"] = declarations
            }
            if let query { node = try NodeQuery(query).evaluate(node) ?? .null }
            Console.out(Render.document(node, format: format))
        }
    }
}

struct DescribeStacks: Command {
    static let spec = CommandSpec(
        DescribeStacks.self, name: "stacks",
        abstract: "Show every stack with its components' merged sections.",
        options: [format, stack] + GlobalOptions.options
    )
    static let format = OptionSpec.value(
        "format", short: "f", help: "Output format: yaml or json.", choices: OutputFormat.choices, default: "yaml")
    static let stack = OptionSpec.value("stack", short: "s", help: "Only this stack.", completion: Completions.stacks)

    let format: OutputFormat
    let stack: String?
    let global: GlobalOptions

    init(_ arguments: ParsedArguments) {
        format = arguments.choice(Self.format, as: OutputFormat.self) ?? .yaml
        stack = arguments.string(Self.stack)
        global = GlobalOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let catalog = try global.catalog()
            var stacks = Node.mapping([])
            let components = try catalog.allComponents()
            if let stack { _ = try catalog.entry(named: stack) }
            var grouped: [String: [String: [(String, Node)]]] = [:]
            for c in components where stack == nil || c.stack == stack {
                var node = c.sections
                node["component"] = .string(c.componentPath)
                if !c.inheritance.isEmpty { node["inheritance"] = .sequence(c.inheritance.map { .string($0) }) }
                var masked = RefResolver.maskUnresolved(catalog.maskEncryptedValues(Redaction.maskSecretTags(node), replacement: Redaction.mask), replacement: Redaction.mask)
                masked["secrets"] = node["secrets"]
                grouped[c.stack, default: [:]][c.type, default: []].append((c.name, masked))
            }
            for entry in try catalog.entries() where stack == nil || entry.name == stack {
                var byType = Node.mapping([])
                for (type, list) in (grouped[entry.name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    byType[type] = .mapping(list.map { Node.Pair(key: .string($0.0), value: $0.1) })
                }
                stacks[entry.name] = .mapping(["components": byType])
            }
            Console.out(Render.document(Redaction.sortedKeys(stacks), format: format))
        }
    }
}

/// Renders documents for stdout.
enum Render {
    static func document(_ node: Node, format: OutputFormat) -> String {
        switch format {
        case .yaml: YAMLEmitter.emit([node], options: EmitOptions(indent: 2))
        case .json: JSON.serialize(node, options: JSONOptions(indent: "  "))
        }
    }
}
