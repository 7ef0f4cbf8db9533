// The launcher's process layer: how `cloak exec` starts the child with its secrets.
//
// API (all in Injector unless noted):
//
//   Core.EnvironmentBlock                    ordered NAME → .plain(String) | .secret(SecretBytes); later wins
//     init(_ entries:) throws(CloakError)    names: non-empty, no '=', no NUL; values: no NUL
//     static inheriting(_:), set(_:_:), set(_:secret:), remove(_:), subscript, isSecret(_:)
//     withUnsafeEnvp { envp in … }           envp in one sodium region, wiped and freed on return
//
//   LaunchCommand(arguments:environment:workingDirectory:descriptors:)
//   InheritedDescriptor(source:target:)      a descriptor the child gets at `target`; all others ≥ 3 close
//   LaunchOptions(masking:pseudoTerminal:killTimeout:newProcessGroup:filesToRemove:watch:forceSupervise:preLaunch:)
//   PreLaunchHook = @Sendable () throws(CloakError) -> Void   runs on the spawning thread / before execve
//
//   Launcher.strategy(for:) -> LaunchStrategy (.exec | .supervise)
//   Launcher.run(_:options:) throws(LaunchError) -> ExitOutcome     picks the strategy; exec never returns
//   Launcher.exec(_:preExec:) throws(LaunchError) -> Never
//   Launcher.supervise(_:options:) throws(LaunchError) -> ExitOutcome
//   Launcher.superviseReporting(_:options:) -> SupervisionReport   outcome + forwarded/notForwarded signals
//   LaunchError: kind (.commandNotFound 127 | .notExecutable 126 | .failed), exitCode, error: CloakError
//   ExitOutcome: .exited(Int32) | .signaled(Int32, coreDumped:); shellStatus; terminateProcess() -> Never
//
//   MaskSet(secrets:literals:derivedForms:minimumLength:replacement:), makeMasker(), mask(_:)
//   Masker: process(_:into:), flush(into:)   streaming, per output stream
//   SecretFile(contents:target:name:)        sealed memfd; .path "/dev/fd/N", .inheritedDescriptor
//   GitHubActions.addMaskCommands(for:) -> SecretBytes   "::add-mask::…" lines; isActive(_:)
//
// Usage sketch (cloak exec):
//
//   var env = EnvironmentBlock.inheriting()
//   for (name, value) in secrets { try env.set(name, secret: value) }     // secrets last: they win
//   let file = try SecretFile(contents: kubeconfig, target: 3)
//   try env.set("KUBECONFIG", file.path)
//   if GitHubActions.isActive(.process) { write(1, GitHubActions.addMaskCommands(for: values)) }
//   let options = LaunchOptions(masking: mask ? MaskSet(secrets: values) : nil, killTimeout: .seconds(30),
//                               preLaunch: sandboxHook)
//   let command = LaunchCommand(arguments: argv, environment: env, descriptors: [file.inheritedDescriptor])
//   do {
//       let outcome = try Launcher.run(command, options: options)
//       outcome.terminateProcess()                 // exit N, or die of the same signal
//   } catch { printError(error.description); exit(error.exitCode) }   // 127 / 126 / 1

/// Starts a child with its environment: in place (`execve`) when nothing needs cloak to stay, otherwise
/// supervised.
public enum Launcher {
    /// Picks exec or supervise. Reasons to stay resident, any one suffices:
    public static func strategy(for options: LaunchOptions) -> LaunchStrategy {
        // 1. Masking: cloak must own the child's output to rewrite it.
        if options.masking.map({ !$0.isEmpty }) == true { return .supervise }
        // 2. Files to remove: someone must outlive the child to delete them.
        if !options.filesToRemove.isEmpty { return .supervise }
        // 3. Watch: the child is restarted when secrets change.
        if options.watch { return .supervise }
        // 4. Kill timeout: escalation needs a parent that is still there.
        if options.killTimeout != nil { return .supervise }
        // 5. PTY requested: the master side has to be relayed.
        if options.pseudoTerminal == .always { return .supervise }
        // 6. A new process group: its point is signalling the group, which needs a forwarder.
        if options.newProcessGroup { return .supervise }
        // 7. The caller insists (tests, --supervise).
        if options.forceSupervise { return .supervise }
        // Otherwise exec: native signals, exit status and TTY at no cost. Memfd secret files survive execve.
        return .exec
    }

    /// Runs `command` with the strategy `strategy(for:)` picks. Under `.exec` it only returns by throwing.
    public static func run(_ command: LaunchCommand, options: LaunchOptions = LaunchOptions()) throws(LaunchError)
        -> ExitOutcome
    {
        switch strategy(for: options) {
        case .exec: try exec(command, preExec: options.preLaunch)
        case .supervise: return try supervise(command, options: options)
        }
    }

    /// Replaces cloak with the command (`execve` after a PATH lookup on the command's own environment).
    /// `preExec` runs on the calling thread right before `execve`.
    public static func exec(_ command: LaunchCommand, preExec: PreLaunchHook? = nil) throws(LaunchError) -> Never {
        try ExecInPlace.exec(command, preExec: preExec)
    }

    /// Spawns the command and stays resident until it ends: forwards signals, masks output when asked, removes
    /// `filesToRemove`, restores the terminal, and returns how the child ended.
    public static func supervise(_ command: LaunchCommand, options: LaunchOptions = LaunchOptions())
        throws(LaunchError) -> ExitOutcome
    {
        try Supervisor(options: options).run(command).outcome
    }

    /// `supervise`, returning also which signals were forwarded or held back and whether the kill timeout fired.
    public static func superviseReporting(_ command: LaunchCommand, options: LaunchOptions = LaunchOptions())
        throws(LaunchError) -> SupervisionReport
    {
        try Supervisor(options: options).run(command)
    }
}
