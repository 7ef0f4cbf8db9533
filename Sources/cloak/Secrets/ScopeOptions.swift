import CLI
import Core
import Resolve
import YAML

/// Flags shared by the secret commands (`-s`, `-c`, `--type`, `-i`, `--mask`, config location).
struct ScopeOptions {
    static let stack = OptionSpec.value("stack", short: "s", help: "Stack name (env ATMOS_STACK).", completion: Completions.stacks)
    static let component = OptionSpec.value(
        "component", short: "c", help: "Component instance (env ATMOS_COMPONENT).", completion: Completions.components)
    static let type = OptionSpec.value("type", help: "Component type when the name is ambiguous (terraform, helmfile, packer, ansible).")
    static let identity = OptionSpec.value("identity", short: "i", help: "Identity for store-backed secrets (env ATMOS_IDENTITY).")
    static let mask = OptionSpec.bool("mask", help: "Mask secret values in cloak's own output (default true; env ATMOS_MASK).")
    /// The options, for a command's spec.
    static let options = [stack, component, type, identity, mask] + GlobalOptions.options

    var stack: String?
    var component: String?
    var type: String?
    var identity: String?
    var mask: Bool?
    var global: GlobalOptions

    /// Reads the options from a parsed command line.
    init(_ arguments: ParsedArguments) {
        stack = arguments.string(Self.stack)
        component = arguments.string(Self.component)
        type = arguments.string(Self.type)
        identity = arguments.string(Self.identity)
        mask = arguments.bool(Self.mask)
        global = GlobalOptions(arguments)
    }

    /// The parsed values.
    var values: Scope {
        Scope(
            stack: stack, component: component, type: type, identity: identity, mask: mask,
            configPaths: global.configPaths, basePath: global.basePath)
    }
    /// `--stack` or `ATMOS_STACK`.
    var stackName: String? { values.stackName }
    /// `--component` or `ATMOS_COMPONENT`.
    var componentName: String? { values.componentName }

    /// Whether prompts may be shown: stdin is a terminal (or ATMOS_FORCE_TTY=true) and this is not CI.
    static var interactive: Bool {
        let env = Environment.process
        let tty = Console.stdinIsTerminal || env["ATMOS_FORCE_TTY"] == "true"
        let ci = (env.nonEmpty("CI").map { $0 != "false" && $0 != "0" } ?? false)
        return tty && !ci
    }
}

/// The loaded configuration, catalog and masking decision for one secret command.
struct SecretContext {
    let catalog: StackCatalog
    let masker: OutputMasker
    let backends: SecretBackends

    init(_ options: ScopeOptions) throws(CloakError) {
        try self.init(options.values)
    }

    init(_ options: Scope) throws(CloakError) {
        catalog = try options.catalog()
        let settings = MaskingSettings(catalog.config, flag: options.mask)
        masker = OutputMasker(
            enabled: settings.enabled, replacement: settings.replacement, literals: settings.literals, patterns: settings.patterns)
        backends = BackendFactory.make(
            environment: .process, auth: catalog.config.document["auth"],
            identity: options.identity ?? Environment.process.nonEmpty("ATMOS_IDENTITY"),
            stores: catalog.config.document["stores"])
    }

    /// The stack to act on: the flag, else a picker of stacks that declare secrets (interactive only).
    func requireStack(_ options: ScopeOptions) throws(CloakError) -> String {
        try requireStack(options.values)
    }

    func requireStack(_ options: Scope) throws(CloakError) -> String {
        if let s = options.stackName { return s }
        if ScopeOptions.interactive {
            let names = try stacksWithSecrets()
            if let pick = Picker.choose("Select a stack", names) { return pick }
        }
        throw CloakError(.usage, "required flag not provided: --stack is required for secret operations (specify a stack with --stack or -s)")
    }

    /// The component: the flag, else a picker of components with declarations in `stack` (interactive only).
    func requireComponent(_ options: ScopeOptions, stack: String) throws(CloakError) -> String {
        try requireComponent(options.values, stack: stack)
    }

    func requireComponent(_ options: Scope, stack: String) throws(CloakError) -> String {
        if let c = options.componentName { return c }
        if ScopeOptions.interactive {
            var names: [String] = []
            for (type, name) in try catalog.componentNames(stack: stack) {
                let c = try catalog.component(name, stack: stack, type: type)
                if !c.isAbstract, !(try SecretDeclaration.parseAll(c.secrets)).isEmpty { names.append(name) }
            }
            if let pick = Picker.choose("Select a component in \(stack)", names) { return pick }
        }
        throw CloakError(.usage, "required flag not provided: --component is required for secret operations (specify a component with --component or -c)")
    }

    /// The service for the flags: a component's secrets, or — when no component is given and `name` is declared in
    /// the stack's top-level `secrets:` — the stack-level secrets.
    func service(_ options: ScopeOptions, forName name: String? = nil) throws(CloakError) -> SecretService {
        let stack = try requireStack(options)
        _ = try catalog.entry(named: stack)
        if options.componentName == nil, let name {
            let stackLevel = try catalog.stackSecrets(stack: stack)
            let service = try SecretService(stack: stack, component: nil, secrets: stackLevel, config: catalog.config, backends: backends)
            if service.declarations.contains(where: { $0.name == name }) { return service }
        }
        let component = try requireComponent(options, stack: stack)
        let resolved = try catalog.component(component, stack: stack, type: options.type)
        return try SecretService(component: resolved, config: catalog.config, backends: backends)
    }

    private func stacksWithSecrets() throws(CloakError) -> [String] {
        var names: [String] = []
        for c in try catalog.allComponents() where !c.isAbstract && !names.contains(c.stack) {
            if !(try SecretDeclaration.parseAll(c.secrets)).isEmpty { names.append(c.stack) }
        }
        return names.sorted()
    }
}

/// `--mask`, `ATMOS_MASK` and `settings.terminal.mask.*`, highest precedence first.
struct MaskingSettings {
    var enabled: Bool
    var replacement: String
    var literals: [String]
    var patterns: [String]

    init(_ config: AtmosConfig, flag: Bool?) {
        let settings = config.document["settings"]?["terminal"]?["mask"]
        enabled = settings?["enabled"]?.boolValue ?? true
        if let env = Environment.process.nonEmpty("ATMOS_MASK") { enabled = env != "false" && env != "0" }
        if let flag { enabled = flag }
        replacement = settings?["replacement"]?.scalarText ?? "<MASKED>"
        literals = settings?["literals"]?.items?.compactMap(\.scalarText) ?? []
        patterns = settings?["patterns"]?.items?.compactMap(\.scalarText) ?? []
    }
}
