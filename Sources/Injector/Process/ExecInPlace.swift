import CCloakLinux
import Core

#if canImport(Glibc)
    import Glibc
#endif

/// execve in place of cloak: no resident parent, so signals, the exit status and the terminal are the child's own.
enum ExecInPlace {
    /// Replaces the process image; returns only by throwing (126/127 rules as for spawn).
    static func exec(_ command: LaunchCommand, preExec: PreLaunchHook?) throws(LaunchError) -> Never {
        guard let name = command.arguments.first else { throw .spawn("no command specified") }
        let path = try ExecutableLookup.resolve(
            name,
            searchPath: Spawner.searchPath(of: command.environment),
            workingDirectory: command.workingDirectory
        )

        // Same descriptor contract as spawn: only 0–2 and the requested targets survive.
        let from = max(3, (command.descriptors.map(\.target).max() ?? 2) + 1)
        var copies: [(Int32, Int32)] = []
        for mapping in command.descriptors {
            guard mapping.target >= 3 else { throw .spawn("descriptor target \(mapping.target) must be 3 or more") }
            let copy = fcntl(mapping.source, F_DUPFD_CLOEXEC, from)
            if copy < 0 {
                throw .spawn("cannot pass descriptor \(mapping.source) to \(name): \(String(cString: strerror(errno)))")
            }
            copies.append((copy, mapping.target))
        }
        _ = ccloak_mark_cloexec_from(3)
        for (copy, target) in copies where dup2(copy, target) < 0 {
            throw .spawn("cannot pass descriptor \(target) to \(name): \(String(cString: strerror(errno)))")
        }
        if let dir = command.workingDirectory, chdir(dir) != 0 {
            throw .spawn("cannot change to directory \(dir): \(String(cString: strerror(errno)))")
        }
        if let preExec {
            do throws(CloakError) { try preExec() } catch {
                throw LaunchError(.failed, error.prefixed("before starting \(name)"))
            }
        }
        ccloak_reset_signals_for_exec()
        let code: Int32 = ShellCommand.withCStrings(command.arguments) { argv in
            command.environment.withUnsafeEnvp { envp in
                _ = execve(path, argv, envp)
                return errno
            }
        }
        throw ExecutableLookup.execFailure(path, errno: code)
    }
}
