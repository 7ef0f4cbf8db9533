import Core
import Injector
import Resolve
import Sandbox
import YAML

#if canImport(Glibc)
import Glibc
#endif

/// Resolves a component's environment and starts a child with it: the shared path of `exec`, `shell` and the
/// component runners. Only returns by throwing; on success the process ends as the child did.
struct ComponentLaunch {
    let context: SecretContext
    var component: ResolvedComponent
    let service: SecretService
    var plan: EnvironmentPlan
    /// Values from `ref+…` references and encrypted manifests: masked and kept out of var files like secrets.
    var referenceValues: [SecretBytes] = []

    /// Loads the component and builds its environment plan; prints one `⚠ Skipping NAME: reason` line per
    /// unresolved optional secret and stops (exit 1) if a required one is missing.
    init(scope: Scope, flags: LaunchSettings, quiet: Bool = false) throws(CloakError) {
        context = try SecretContext(scope)
        let stack = try context.requireStack(scope)
        let name = try context.requireComponent(scope, stack: stack)
        component = try context.catalog.component(name, stack: stack, type: scope.type)
        service = try SecretService(component: component, config: context.catalog.config, backends: context.backends)
        // !store / !store.get in env, vars and settings: one batched read per store (plain values, not masked).
        try service.resolveStoreFunctions(in: &component)
        // ref+ strings in env, vars and settings (and atmos.yaml env): one batch per backend, then each section.
        let references = RefResolver(registry: context.backends.references)
        references.prefetch([component.env, component.vars, component.settings, context.catalog.config.document["env"] ?? .null])
        for section in ["vars", "settings"] where RefResolver.containsReferences(component.section(section)) {
            component.sections[section] = try references.resolve(component.section(section))
        }
        plan = try EnvironmentLayering.build(
            component: component, config: context.catalog.config, service: service, parent: .process,
            options: EnvironmentLayering.Options(pristine: flags.pristine, strict: flags.strict), references: references)
        referenceValues = references.resolvedValues + context.catalog.decryptedManifestValues
        for (i, value) in referenceValues.enumerated() { plan.resolved["\u{0}ref\(i)"] = .text(value) }
        for value in plan.secretValues + referenceValues { context.masker.register(.text(value)) }
        for problem in plan.problems where !problem.fatal && !quiet {
            context.masker.err("⚠ Skipping \(problem.name): \(problem.reason)")
        }
        let fatal = plan.problems.filter(\.fatal)
        if !fatal.isEmpty {
            for p in fatal { context.masker.err("✗ \(p.name): \(p.reason)") }
            let names = fatal.map(\.name).joined(separator: ", ")
            throw CloakError(.notInitialized, "not starting: required secret(s) unavailable: \(names)\(flags.strict ? " (--strict)" : "")")
        }
    }

    /// The seccomp profile to start the child under: `--harden-profile`, `--harden`, else `settings.secrets.harden`
    /// of the component, else of atmos.yaml (`true` or a profile name).
    func hardening(_ flags: LaunchSettings) throws(CloakError) -> SeccompProfile? {
        if let name = flags.hardenProfile { return try SeccompProfile(name: name) }
        if flags.harden { return .default }
        for node in [component.settings["secrets"]?["harden"], context.catalog.config.document["settings"]?["secrets"]?["harden"]] {
            guard let node, !node.isNull, let text = node.scalarText else { continue }
            if text == "false" { return nil }
            if text == "true" { return .default }
            return try SeccompProfile(name: text)
        }
        return nil
    }

    /// What one start of the child needs; `files` must stay alive until the child has started.
    struct Prepared {
        var command: LaunchCommand
        var options: LaunchOptions
        var files: [SecretFile]
        /// The audit trail this start was recorded in, if auditing is on.
        var audit: AuditTrail?
    }

    /// Starts `arguments` in `workingDirectory` with the plan's environment plus `extra` variables and files.
    func run(
        _ arguments: [String], flags: LaunchSettings, workingDirectory: String? = nil, extraFiles: [SecretFile] = [],
        pseudoTerminal: PseudoTerminalPolicy = .automatic, exitLine: String? = nil
    ) throws(CloakError) -> Never {
        let prepared = try prepare(arguments, flags: flags, workingDirectory: workingDirectory, extraFiles: extraFiles, pseudoTerminal: pseudoTerminal)
        do {
            let outcome = try Launcher.run(prepared.command, options: prepared.options)
            prepared.audit?.recordEnd(outcome)
            if let exitLine { Console.err(exitLine) }
            outcome.terminateProcess()
        } catch {
            prepared.audit?.recordFailure(exitCode: error.exitCode)
            Console.err(context.masker.apply(error.error.description))
            exit(error.exitCode)
        }
    }

    /// Builds the child's command, environment block, secret files and launch options (GitHub mask lines are
    /// printed here).
    func prepare(
        _ arguments: [String], flags: LaunchSettings, workingDirectory: String? = nil, extraFiles: [SecretFile] = [],
        pseudoTerminal: PseudoTerminalPolicy = .automatic
    ) throws(CloakError) -> Prepared {
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
        let values = plan.secretValues + referenceValues
        let env = Environment.process
        if !flags.noGitHubMask, GitHubActions.isActive(env), !values.isEmpty {
            GitHubActions.addMaskCommands(for: values).withUnsafeBytes { buf in
                if let base = buf.baseAddress { _ = write(1, base, buf.count) }
            }
        }
        let masking = flags.maskOutput
            ? MaskSet(secrets: values, literals: MaskingSettings(context.catalog.config, flag: nil).literals)
            : nil
        var options = LaunchOptions(
            masking: masking, pseudoTerminal: pseudoTerminal, killTimeout: try flags.timeout(),
            forceSupervise: flags.supervise)
        let profile = try hardening(flags)
        if let profile { options.preLaunch = try Sandbox.preLaunchHook(profile) }
        // Recorded before anything starts, while the values are still here to fingerprint.
        let audit = AuditTrail.configured(context.catalog.config, component: component, environment: .process)
        try audit?.recordStart(
            launch: self, arguments: arguments, strategy: Launcher.strategy(for: options), hardened: profile != nil)
        if masking == nil {
            // Once the child has its environment, a supervising cloak needs no secret value: zero every copy
            // (plan, backend caches, env block leftovers) so none can be read from cloak's memory.
            options.afterSpawn = { SecretBytes.wipeAll() }
        }
        if !values.isEmpty, let warning = Sandbox.memoryLockStatus().warning { Console.err(warning) }
        let command = LaunchCommand(
            arguments: arguments, environment: block, workingDirectory: workingDirectory,
            descriptors: files.map(\.inheritedDescriptor))
        return Prepared(command: command, options: options, files: files, audit: audit)
    }
}
