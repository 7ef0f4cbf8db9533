import CLI
import Core
import Injector
import Resolve

struct Exec: Command {
    static let spec = CommandSpec(
        Exec.self, name: "exec",
        abstract: "Run a command with a component's environment and secrets.",
        discussion: """
            Environment layers, later wins: cloak's own environment (or the --pristine base), atmos.yaml env, the \
            component's env (with !secret resolved), then every declared secret by NAME. Unresolved optional secrets \
            print a warning and are skipped; a required one stops cloak before anything starts. cloak replaces \
            itself with the command unless it must stay resident (--mask-output, --kill-timeout, --supervise, \
            secret files), in which case it forwards signals and exits exactly as the command did. \
            With --watch 30s cloak re-resolves the secrets (stores, SOPS files, ref+ references) every 30 s and, when \
            one changed, restarts the command (SIGTERM, the kill timeout, then a new start) or, with \
            --on-change signal:SIGHUP, sends it that signal.
            """,
        options: ScopeOptions.options + LaunchFlags.options + WatchFlags.options,
        passthrough: PassthroughSpec("command", help: "The command and its arguments, after --.")
    )
    let scope: ScopeOptions
    let flags: LaunchFlags
    let watch: WatchFlags
    let command: [String]

    init(_ arguments: ParsedArguments) {
        scope = ScopeOptions(arguments)
        flags = LaunchFlags(arguments)
        watch = WatchFlags(arguments)
        command = arguments.passthrough
    }

    func run() throws {
        try Exec.run(scope: scope.values, flags: flags.settings, watch: watch.settings, command: command)
    }

    /// Runs `command` with the component's environment; only returns by throwing.
    static func run(scope: Scope, flags: LaunchSettings, watch: WatchSettings, command: [String]) throws {
        try Reporting.run {
            guard !command.isEmpty else { throw CloakError(.usage, "no command specified: put the command after -- (cloak exec -s STACK -c COMPONENT -- CMD ARGS…)") }
            let loop = watch.watch == nil ? nil : try WatchLoop(scope: scope, flags: flags, arguments: command, watch: watch)
            let launch = try ComponentLaunch(scope: scope, flags: flags)
            if let loop { try loop.run(launch) }
            try launch.run(command, flags: flags)
        }
    }
}

struct Shell: Command {
    static let spec = CommandSpec(
        Shell.self, name: "shell",
        abstract: "Start an interactive shell with a component's environment and secrets.",
        discussion: "Shell: --shell, CLOAK_SHELL, ATMOS_SHELL, SHELL, then bash or sh on PATH. A login shell (-l) unless arguments follow --.",
        options: ScopeOptions.options + LaunchFlags.options + [shell],
        passthrough: PassthroughSpec("arguments", help: "Arguments for the shell, after --.")
    )
    static let shell = OptionSpec.value("shell", help: "The shell binary.")

    let scope: ScopeOptions
    let flags: LaunchFlags
    let shellBinary: String?
    let arguments: [String]

    init(_ arguments: ParsedArguments) {
        scope = ScopeOptions(arguments)
        flags = LaunchFlags(arguments)
        shellBinary = arguments.string(Self.shell)
        self.arguments = arguments.passthrough
    }

    func run() throws {
        try Reporting.run {
            var launch = try ComponentLaunch(scope: scope.values, flags: flags.settings)
            let env = Environment.process
            guard let shell = shellBinary ?? env.nonEmpty("CLOAK_SHELL") ?? env.nonEmpty("ATMOS_SHELL") ?? env.nonEmpty("SHELL")
                ?? ExecutableSearch.find("bash", path: env["PATH"]) ?? ExecutableSearch.find("sh", path: env["PATH"])
            else {
                throw CloakError(.notFound, "no suitable shell found (pass --shell or set SHELL)")
            }
            let level = (Int(env["ATMOS_SHLVL"] ?? "0") ?? 0) + 1
            launch.plan.set(.init(name: "ATMOS_SHLVL", value: .plain(String(level)), origin: "cloak shell", isSecret: false, asFile: false))
            let count = launch.plan.entries.filter(\.isSecret).count
            let c = launch.component
            Console.err("Entering shell with \(count) secret(s) for component \"\(c.name)\" in stack \"\(c.stack)\" (type 'exit' to return).")
            var shellFlags = flags.settings
            shellFlags.supervise = true  // stay resident to print the exit line and pass the status through
            try launch.run([shell] + (arguments.isEmpty ? ["-l"] : arguments), flags: shellFlags, exitLine: "Exited shell for component \"\(c.name)\" in stack \"\(c.stack)\".")
        }
    }
}

/// PATH lookup for picking a shell.
enum ExecutableSearch {
    static func find(_ name: String, path: String?) -> String? {
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = Path.join(String(dir), name)
            if FileSystem.isFile(candidate) { return candidate }
        }
        return nil
    }
}

struct Env: Command {
    static let spec = CommandSpec(
        Env.self, name: "env",
        abstract: "Show which variables a component's child would get, where each comes from, and whether it resolved — never values.",
        options: ScopeOptions.options + [pristine, all, format]
    )
    enum Format: String, ArgumentChoice { case table, json }
    static let pristine = OptionSpec.flag("pristine", help: "Build from the --pristine base instead of cloak's environment.")
    static let all = OptionSpec.flag("all", help: "Include variables inherited from cloak's own environment.")
    static let format = OptionSpec.value("format", short: "f", help: "table or json.", choices: Format.choices, default: "table")

    let scope: ScopeOptions
    let pristine: Bool
    let showInherited: Bool
    let format: Format

    init(_ arguments: ParsedArguments) {
        scope = ScopeOptions(arguments)
        pristine = arguments.flag(Self.pristine)
        showInherited = arguments.flag(Self.all)
        format = arguments.choice(Self.format, as: Format.self) ?? .table
    }

    func run() throws {
        try Reporting.run {
            let context = try SecretContext(scope)
            let stack = try context.requireStack(scope)
            let name = try context.requireComponent(scope, stack: stack)
            var component = try context.catalog.component(name, stack: stack, type: scope.type)
            let service = try SecretService(component: component, config: context.catalog.config, backends: context.backends)
            try service.resolveStoreFunctions(in: &component)
            let plan = try EnvironmentLayering.build(
                component: component, config: context.catalog.config, service: service, parent: .process,
                options: EnvironmentLayering.Options(pristine: pristine), references: RefResolver(registry: context.backends.references))
            var rows: [[String]] = []
            for e in plan.entries where showInherited || (e.origin != "parent environment" && e.origin != "pristine base") {
                rows.append([e.name, e.isSecret ? (e.asFile ? "secret (file)" : "secret") : "plain", "resolved", e.origin])
            }
            for p in plan.problems {
                rows.append([p.name, "secret", p.fatal ? "missing (required)" : "skipped", p.reason])
            }
            let headers = ["NAME", "KIND", "STATUS", "SOURCE"]
            switch format {
            case .table:
                context.masker.out(TextTable.render(headers: headers, rows: rows))
            case .json:
                var out = "[\n"
                out += rows.map { r in
                    "  {" + zip(headers, r).map { "\(JSONText.quote($0.0.lowercased())): \(JSONText.quote($0.1))" }.joined(separator: ", ") + "}"
                }.joined(separator: ",\n")
                out += rows.isEmpty ? "]\n" : "\n]\n"
                context.masker.out(out)
            }
        }
    }
}
