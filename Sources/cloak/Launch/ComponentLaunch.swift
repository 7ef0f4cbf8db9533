import Core
import Injector
import Resolve

#if canImport(Glibc)
import Glibc
#endif

/// Resolves a component's environment and starts a child with it: the shared path of `exec`, `shell` and the
/// component runners. Only returns by throwing; on success the process ends as the child did.
struct ComponentLaunch {
    let context: SecretContext
    let component: ResolvedComponent
    let service: SecretService
    var plan: EnvironmentPlan

    /// Loads the component and builds its environment plan; prints one `⚠ Skipping NAME: reason` line per
    /// unresolved optional secret and stops (exit 1) if a required one is missing.
    init(scope: ScopeOptions, flags: LaunchFlags) throws(CloakError) {
        context = try SecretContext(scope)
        let stack = try context.requireStack(scope)
        let name = try context.requireComponent(scope, stack: stack)
        component = try context.catalog.component(name, stack: stack, type: scope.type)
        service = try SecretService(component: component, config: context.catalog.config, backends: context.backends)
        plan = try EnvironmentLayering.build(
            component: component, config: context.catalog.config, service: service, parent: .process,
            options: EnvironmentLayering.Options(pristine: flags.pristine, strict: flags.strict))
        for value in plan.secretValues { context.masker.register(.text(value)) }
        for problem in plan.problems where !problem.fatal {
            context.masker.err("⚠ Skipping \(problem.name): \(problem.reason)")
        }
        let fatal = plan.problems.filter(\.fatal)
        if !fatal.isEmpty {
            for p in fatal { context.masker.err("✗ \(p.name): \(p.reason)") }
            let names = fatal.map(\.name).joined(separator: ", ")
            throw CloakError(.notInitialized, "not starting: required secret(s) unavailable: \(names)\(flags.strict ? " (--strict)" : "")")
        }
    }

    /// Starts `arguments` in `workingDirectory` with the plan's environment plus `extra` variables and files.
    func run(
        _ arguments: [String], flags: LaunchFlags, workingDirectory: String? = nil, extraFiles: [SecretFile] = [],
        pseudoTerminal: PseudoTerminalPolicy = .automatic, exitLine: String? = nil
    ) throws(CloakError) -> Never {
        guard !arguments.isEmpty else { throw CloakError(.usage, "no command specified: put the command after --") }
        var block = try EnvironmentBlock([])
        var files = extraFiles
        var nextFD: Int32 = 3 + Int32(extraFiles.count)
        for entry in plan.entries {
            if entry.asFile, case .secret(let bytes) = entry.value {
                let file = try SecretFile(contents: bytes, target: nextFD, name: entry.name)
                nextFD += 1
                files.append(file)
                try block.set(entry.name, file.path)
            } else {
                switch entry.value {
                case .plain(let text): try block.set(entry.name, text)
                case .secret(let bytes): try block.set(entry.name, secret: bytes)
                }
            }
        }
        let values = plan.secretValues
        let env = Environment.process
        if !flags.noGitHubMask, GitHubActions.isActive(env), !values.isEmpty {
            GitHubActions.addMaskCommands(for: values).withUnsafeBytes { buf in
                if let base = buf.baseAddress { _ = write(1, base, buf.count) }
            }
        }
        let masking = flags.maskOutput
            ? MaskSet(secrets: values, literals: MaskingSettings(context.catalog.config, flag: nil).literals)
            : nil
        let options = LaunchOptions(
            masking: masking, pseudoTerminal: pseudoTerminal, killTimeout: try flags.timeout(),
            forceSupervise: flags.supervise)
        let command = LaunchCommand(
            arguments: arguments, environment: block, workingDirectory: workingDirectory,
            descriptors: files.map(\.inheritedDescriptor))
        do {
            let outcome = try Launcher.run(command, options: options)
            if let exitLine { Console.err(exitLine) }
            outcome.terminateProcess()
        } catch {
            Console.err(context.masker.apply(error.error.description))
            exit(error.exitCode)
        }
    }
}
