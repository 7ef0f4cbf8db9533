import CLI
import Core
import Injector
import Resolve
import YAML

/// How one tool receives its vars: a memory-backed var file (never on disk) for the non-secret vars, and the
/// environment for secret-bearing ones.
struct ToolProfile {
    let type: String
    let binary: String
    let secretVarPrefix: String
    let hclVarFile: Bool

    static func forType(_ type: String) -> ToolProfile {
        switch type {
        case "terraform": ToolProfile(type: type, binary: "terraform", secretVarPrefix: "TF_VAR_", hclVarFile: true)
        case "packer": ToolProfile(type: type, binary: "packer", secretVarPrefix: "PKR_VAR_", hclVarFile: true)
        case "helmfile": ToolProfile(type: type, binary: "helmfile", secretVarPrefix: "CLOAK_VAR_", hclVarFile: false)
        case "ansible": ToolProfile(type: type, binary: "ansible-playbook", secretVarPrefix: "CLOAK_VAR_", hclVarFile: false)
        default: ToolProfile(type: type, binary: type, secretVarPrefix: "CLOAK_VAR_", hclVarFile: false)
        }
    }

    /// The var-file name Atmos would use (shown as the memfd's name in /proc).
    func varFileName(_ c: ResolvedComponent) -> String {
        let comp = c.name.split(separator: "/").joined(separator: "-")
        switch type {
        case "terraform": return "\(c.stack)-\(comp).terraform.tfvars.json"
        case "helmfile": return "\(c.stack)-\(comp).helmfile.vars.yaml"
        case "packer": return "\(c.stack)-\(comp).packer.vars.json"
        case "ansible": return "\(c.stack)-\(comp).ansible.vars.yaml"
        default: return "\(c.stack)-\(comp).\(type).vars.json"
        }
    }

    /// The command line for `subcommand`, with the var file at `varFile`.
    func arguments(binary: String, subcommand: String, varFile: String, extra: [String], component: ResolvedComponent) -> [String] {
        switch type {
        case "terraform":
            let takesVars: Swift.Set<String> = ["plan", "apply", "destroy", "import", "refresh", "console"]
            return [binary, subcommand] + (takesVars.contains(subcommand) ? ["-var-file=\(varFile)"] : []) + extra
        case "helmfile":
            return [binary, "--state-values-file", varFile, subcommand] + extra
        case "packer":
            // Packer refuses var files without a .hcl/.json suffix, so every var travels as PKR_VAR_* instead.
            let template = extra.contains(where: { !$0.hasPrefix("-") }) ? [] : ["."]
            return [binary, subcommand] + extra + template
        case "ansible":
            // `cloak ansible playbook COMP`: the playbook from settings.ansible.playbook (default site.yml).
            let settings = component.settings["ansible"]
            var args = [binary]
            if !extra.contains(where: { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }) {
                args.append(settings?["playbook"]?.scalarText ?? "site.yml")
            }
            if let inventory = settings?["inventory"]?.scalarText { args += ["-i", inventory] }
            // ansible-playbook resolves @/dev/fd/N to the memfd's unreachable target, so the (secret-free) vars go
            // inline as JSON; secret-bearing vars never reach argv — they are CLOAK_VAR_* in the environment.
            return args + ["--extra-vars", varFile] + extra
        default:
            return [binary, subcommand] + extra
        }
    }
}

/// `cloak terraform|helmfile|packer|ansible SUBCOMMAND COMPONENT -s STACK [-- ARGS]` and `cloak run TYPE …`.
struct ComponentRunner {
    static func run(type: String, subcommand: String, component: String, scope: Scope, flags: LaunchSettings, extra: [String])
        throws(CloakError) -> Never
    {
        var scope = scope
        scope.component = component
        scope.type = type
        let launch = try ComponentLaunch(scope: scope, flags: flags)
        let c = launch.component
        let config = launch.context.catalog.config
        let profile = ToolProfile.forType(type)
        let binary = config.document["components"]?[type]?["command"]?.scalarText ?? profile.binary
        let directory = c.componentDirectory(config: config)
        guard FileSystem.isDirectory(directory) else {
            throw CloakError(
                .notFound, "component directory \(config.display(directory)) does not exist (components.\(type).base_path + \(c.componentPath))")
        }
        // Vars with !secret resolved from the values the environment plan already fetched.
        let vars = try SecretReferenceResolver.resolve(
            c.vars,
            lookup: { (name) throws(CloakError) -> SecretValue in
                if let v = launch.plan.resolved[name] { return v }
                return try launch.service.get(name)
            }, onValue: { launch.context.masker.register($0) })
        let partition = VarPartition(
            vars: vars, secrets: launch.plan.secretValues + launch.plan.resolved.values.map(\.bytes),
            literals: MaskingSettings(config, flag: nil).literals)
        var plan = launch.plan
        for (name, value) in partition.secret {
            plan.set(.init(name: profile.secretVarPrefix + name, value: .secret(value), origin: "secret-bearing var", isSecret: true, asFile: false))
        }
        var files: [SecretFile] = []
        var varFileArgument = ""
        switch type {
        case "packer":
            for (name, value) in partition.plain {
                plan.set(.init(name: "PKR_VAR_" + name, value: .plain(VarFileFormat.envText(value)), origin: "stack vars", isSecret: false, asFile: false))
            }
        case "ansible":
            varFileArgument = String(decoding: VarFileFormat.json(partition.plain, pretty: false), as: UTF8.self)
        default:
            var content = profile.hclVarFile ? VarFileFormat.hcl(partition.plain) : VarFileFormat.json(partition.plain)
            let file = try SecretFile(contents: SecretBytes(consuming: &content), target: 3, name: profile.varFileName(c))
            files.append(file)
            varFileArgument = file.path
            if !["terraform", "helmfile"].contains(type) {
                plan.set(.init(name: "CLOAK_VARS_FILE", value: .plain(file.path), origin: "cloak", isSecret: false, asFile: false))
            }
        }
        var runner = launch
        runner.plan = plan
        let argv = profile.arguments(binary: binary, subcommand: subcommand, varFile: varFileArgument, extra: extra, component: c)
        try runner.run(argv, flags: flags, workingDirectory: directory, extraFiles: files)
    }
}

/// What a built-in tool's runner subcommand is called and says in help.
struct ToolInfo: Sendable {
    let type: String
    let binary: String
    let subcommands: String
    let abstract: String

    static let terraform = ToolInfo(
        type: "terraform", binary: "terraform", subcommands: "plan, apply, destroy, init, output, …",
        abstract: "Run terraform for a component: vars in a memory-only var file, secret-bearing vars as TF_VAR_*.")

    static let helmfile = ToolInfo(
        type: "helmfile", binary: "helmfile", subcommands: "diff, apply, sync, template, …",
        abstract: "Run helmfile for a component: vars as --state-values-file (memory only), secret-bearing vars as CLOAK_VAR_*.")

    static let packer = ToolInfo(
        type: "packer", binary: "packer", subcommands: "build, validate, …",
        abstract: "Run packer for a component: vars in a memory-only var file, secret-bearing vars as PKR_VAR_*.")

    static let ansible = ToolInfo(
        type: "ansible", binary: "ansible-playbook", subcommands: "playbook",
        abstract: "Run ansible-playbook for a component: vars as --extra-vars @file (memory only), secret-bearing vars as CLOAK_VAR_*.")
}

/// One runner subcommand per built-in tool (`cloak terraform plan COMP -s S`), all sharing `ComponentRunner`.
struct ToolRunner {
    static let component = ArgumentSpec("component", help: "Component instance.", completion: Completions.components)

    /// The `cloak terraform|helmfile|packer|ansible` command of `tool`.
    static func spec(_ tool: ToolInfo) -> CommandSpec {
        CommandSpec(
            name: tool.type, abstract: tool.abstract, options: ScopeOptions.options + LaunchFlags.options,
            arguments: [ArgumentSpec("subcommand", help: tool.subcommands), component],
            passthrough: PassthroughSpec("extra", help: "Extra arguments for \(tool.binary), after --."),
            run: { arguments in try ToolRunner(tool, arguments).run() })
    }

    let tool: ToolInfo
    let subcommand: String
    let component: String
    let scope: ScopeOptions
    let flags: LaunchFlags
    let extra: [String]

    init(_ tool: ToolInfo, _ arguments: ParsedArguments) throws(CommandLineError) {
        self.tool = tool
        subcommand = try arguments.required(arguments.command.arguments[0])
        component = try arguments.required(Self.component)
        scope = ScopeOptions(arguments)
        flags = LaunchFlags(arguments)
        extra = arguments.passthrough
    }

    func run() throws {
        try Reporting.run {
            try ComponentRunner.run(
                type: tool.type, subcommand: subcommand, component: component, scope: scope.values, flags: flags.settings, extra: extra)
        }
    }
}

struct RunTool: Command {
    static let spec = CommandSpec(
        RunTool.self, name: "run",
        abstract: "Run the tool of a custom component type (components.<type>.command in atmos.yaml).",
        discussion: "The non-secret vars are in a memory-only JSON file whose path is in CLOAK_VARS_FILE; secret-bearing vars are CLOAK_VAR_<name>.",
        options: ScopeOptions.options + LaunchFlags.options, arguments: [type, subcommand, ToolRunner.component],
        passthrough: PassthroughSpec("extra", help: "Extra arguments, after --."))
    static let type = ArgumentSpec("type", help: "Component type.")
    static let subcommand = ArgumentSpec("subcommand", help: "Subcommand passed to the tool.")

    let type: String
    let subcommand: String
    let component: String
    let scope: ScopeOptions
    let flags: LaunchFlags
    let extra: [String]

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        type = try arguments.required(Self.type)
        subcommand = try arguments.required(Self.subcommand)
        component = try arguments.required(ToolRunner.component)
        scope = ScopeOptions(arguments)
        flags = LaunchFlags(arguments)
        extra = arguments.passthrough
    }

    func run() throws {
        try Reporting.run {
            try ComponentRunner.run(
                type: type, subcommand: subcommand, component: component, scope: scope.values, flags: flags.settings, extra: extra)
        }
    }
}
