import CCloakLinux
import Core

#if canImport(Glibc)
    import Glibc
#endif

/// Where one of the child's standard descriptors comes from.
enum StdioSource: Equatable {
    /// The same descriptor as cloak's.
    case inherit
    /// This descriptor of cloak's (dup2'ed into place).
    case descriptor(Int32)
}

/// Everything `posix_spawn` needs beyond the command.
struct SpawnRequest {
    var command: LaunchCommand
    var stdin: StdioSource = .inherit
    var stdout: StdioSource = .inherit
    var stderr: StdioSource = .inherit
    /// Opens this terminal as 0, 1 and 2 in a new session, so it becomes the child's controlling terminal
    /// (overrides the three sources above).
    var controllingTerminal: String?
    var newProcessGroup = false
    var preSpawn: PreLaunchHook?
}

/// posix_spawn (never fork) on a dedicated short-lived thread.
enum Spawner {
    /// Starts the child and returns once it has exec'd (glibc's posix_spawn uses CLONE_VFORK).
    static func spawn(_ request: SpawnRequest) throws(LaunchError) -> ChildProcess {
        let command = request.command
        guard let name = command.arguments.first else { throw .spawn("no command specified") }
        if let dir = command.workingDirectory, !FileSystem.isDirectory(dir) {
            throw .spawn("cannot change to directory \(dir): not a directory or not found")
        }
        let path = try ExecutableLookup.resolve(
            name,
            searchPath: searchPath(of: command.environment),
            workingDirectory: command.workingDirectory
        )

        // Every source is first duplicated (close-on-exec) above the highest target, so dup2 into place can
        // never clobber another source, and closefrom(from) then drops the copies in the child.
        let from = max(3, (command.descriptors.map(\.target).max() ?? 2) + 1)
        var copies: [Int32] = []
        defer { for fd in copies { close(fd) } }
        func lift(_ fd: Int32) throws(LaunchError) -> Int32 {
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, from)
            if copy < 0 { throw .spawn("cannot pass descriptor \(fd) to \(name): \(String(cString: strerror(errno)))") }
            copies.append(copy)
            return copy
        }
        var dups: [(Int32, Int32)] = []
        for mapping in command.descriptors {
            guard mapping.target >= 3 else { throw .spawn("descriptor target \(mapping.target) must be 3 or more") }
            dups.append((try lift(mapping.source), mapping.target))
        }
        if request.controllingTerminal == nil {
            for (source, target) in [(request.stdin, 0), (request.stdout, 1), (request.stderr, 2)]
                as [(StdioSource, Int32)]
            {
                if case .descriptor(let fd) = source { dups.append((try lift(fd), target)) }
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let dir = command.workingDirectory {
            let rc = ccloak_spawn_addchdir(&actions, dir)
            if rc != 0 { throw .spawn("cannot use working directory \(dir): \(String(cString: strerror(rc)))") }
        }
        for (source, target) in dups { posix_spawn_file_actions_adddup2(&actions, source, target) }
        if let terminal = request.controllingTerminal {
            // After setsid, opening a terminal without O_NOCTTY makes it the controlling terminal.
            posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
        }
        if ccloak_spawn_addclosefrom(&actions, from) != 0 {
            // glibc < 2.34: mark everything from `from` close-on-exec in cloak itself (harmless for cloak).
            _ = ccloak_mark_cloexec_from(from)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if request.controllingTerminal != nil {
            flags |= Int32(ccloak_spawn_flag_setsid())
        } else if request.newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var pid: pid_t = 0
        var spawnError: Int32 = 0
        var hookError: CloakError?
        let environment = command.environment
        let arguments = command.arguments
        let hook = request.preSpawn
        let threadError = withUnsafePointer(to: &actions) { actionsPointer in
            withUnsafePointer(to: &attributes) { attributesPointer in
                DedicatedThread.run {
                    if let hook {
                        do throws(CloakError) { try hook() } catch {
                            hookError = error
                            return
                        }
                    }
                    spawnError = ShellCommand.withCStrings(arguments) { argv in
                        environment.withUnsafeEnvp { envp in
                            posix_spawn(&pid, path, actionsPointer, attributesPointer, argv, envp)
                        }
                    }
                }
            }
        }
        if threadError != 0 { throw .spawn("cannot start spawn thread: \(String(cString: strerror(threadError)))") }
        if let hookError { throw LaunchError(.failed, hookError.prefixed("before starting \(name)")) }
        if spawnError != 0 { throw ExecutableLookup.execFailure(path, errno: spawnError) }
        return ChildProcess(
            pid: pid,
            ownsGroup: request.controllingTerminal != nil || request.newProcessGroup
        )
    }

    /// The PATH the child will see (a secret PATH is read transiently; it is a search list, not a credential).
    static func searchPath(of environment: EnvironmentBlock) -> String? {
        switch environment["PATH"] {
        case .plain(let s): s
        case .secret(let b): b.unsafeString()
        case nil: nil
        }
    }
}
