#if canImport(Glibc)
import Glibc
#endif

/// Runs helper programs (`!exec`, key commands, gpg) with `posix_spawn` and pipes, never a temporary file.
public enum ShellCommand {
    /// What a program gave back through `execute`.
    public struct Result: Sendable {
        /// Exit status, or 128 plus the signal number when a signal ended it.
        public var status: Int32
        /// Everything written to standard output (it may be a key, so it is kept as a secret).
        public var stdout: SecretBytes
        /// Everything written to standard error.
        public var stderr: [UInt8]
    }

    /// Runs `/bin/sh -c command`, returns stdout without one trailing newline; a non-zero exit is an error that
    /// names the command, never its output.
    public static func run(
        _ command: String, environment: Environment = .process, at location: SourceLocation? = nil
    ) throws(CloakError) -> String {
        let result = try capture(["/bin/sh", "-c", command], environment: environment)
        guard result.status == 0 else {
            throw CloakError(.config, "command exited with status \(result.status): \(command)", at: location)
        }
        var text = String(decoding: result.stdout, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    /// Spawns `argv` (absolute path or PATH lookup) with the given stdin bytes; returns exit status and stdout.
    /// stderr is inherited so the user sees the tool's own diagnostics.
    public static func capture(
        _ argv: [String], stdin input: [UInt8]? = nil, environment: Environment = .process
    ) throws(CloakError) -> (status: Int32, stdout: [UInt8]) {
        var copy = input ?? []
        let secret = input.map { _ in SecretBytes(consuming: &copy) }
        let result = try spawn(argv, stdin: secret, environment: environment, captureStderr: false)
        return (result.status, result.stdout.withUnsafeBytes { Array($0) })
    }

    /// Spawns `argv` (absolute path or PATH lookup), writes `input` to its stdin while reading stdout and stderr
    /// (so inputs and outputs of any size cannot deadlock), and waits for it. Without input, stdin is `/dev/null`.
    public static func execute(
        _ argv: [String], stdin input: SecretBytes? = nil, environment: Environment = .process
    ) throws(CloakError) -> Result {
        try spawn(argv, stdin: input, environment: environment, captureStderr: true)
    }

    private static func spawn(
        _ argv: [String], stdin input: SecretBytes?, environment: Environment, captureStderr: Bool
    ) throws(CloakError) -> Result {
        var pipes: [[Int32]] = []
        for _ in 0..<(input == nil ? 1 : 2) + (captureStderr ? 1 : 0) {
            var fds: [Int32] = [-1, -1]
            guard makePipe(&fds) else {
                let code = errno
                for open in pipes { for fd in open { close(fd) } }
                throw FileSystem.ioError("cannot create pipe for", argv[0], code)
            }
            pipes.append(fds)
        }
        let outPipe = pipes[0]
        let inPipe = input == nil ? nil : pipes[1]
        let errPipe = captureStderr ? pipes[pipes.count - 1] : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let inPipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        if let errPipe { posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2) }
        let envStrings = environment.all().map { "\($0.0)=\($0.1)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cargv in
            withCStrings(envStrings) { cenv in
                posix_spawnp(&pid, argv[0], &actions, nil, cargv, cenv)
            }
        }
        // The child's ends belong to the child now.
        close(outPipe[1])
        if let inPipe { close(inPipe[0]) }
        if let errPipe { close(errPipe[1]) }
        guard rc == 0 else {
            close(outPipe[0])
            if let inPipe { close(inPipe[1]) }
            if let errPipe { close(errPipe[0]) }
            throw CloakError(.spawn, "cannot run \(argv[0]): \(String(cString: strerror(rc)))")
        }
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        if let input {
            input.withUnsafeBytes { bytes in
                exchange(stdin: inPipe?[1] ?? -1, bytes, stdout: outPipe[0], &stdout, stderr: errPipe?[0] ?? -1, &stderr)
            }
        } else {
            exchange(stdin: -1, UnsafeRawBufferPointer(start: nil, count: 0), stdout: outPipe[0], &stdout,
                     stderr: errPipe?[0] ?? -1, &stderr)
        }
        return Result(status: waitForExit(pid), stdout: SecretBytes(consuming: &stdout), stderr: stderr)
    }

    /// Feeds `input` to `stdinFD` and drains `stdoutFD` and `stderrFD` (each -1 when unused) with `poll` until
    /// all three are done, closing each descriptor. A child that exits without reading its input raises no SIGPIPE.
    private static func exchange(
        stdin stdinFD: Int32, _ input: UnsafeRawBufferPointer, stdout stdoutFD: Int32, _ stdout: inout [UInt8],
        stderr stderrFD: Int32, _ stderr: inout [UInt8]
    ) {
        var fds = [
            pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0),
            pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0),
        ]
        if stdinFD >= 0 {
            if input.isEmpty {
                close(stdinFD)
                fds[0].fd = -1
            } else {
                _ = fcntl(stdinFD, F_SETFL, fcntl(stdinFD, F_GETFL) | O_NONBLOCK)
            }
        }
        // Writing to a pipe whose reader is gone raises SIGPIPE: block it here and swallow any we caused.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer {
            var pending = sigset_t()
            if sigpending(&pending) == 0, sigismember(&pending, SIGPIPE) == 1, sigismember(&previousMask, SIGPIPE) == 0 {
                var noWait = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &noWait)
            }
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }
        var written = 0
        var chunk = [UInt8](repeating: 0, count: 16384)
        defer { chunk.withUnsafeMutableBytes { if let p = $0.baseAddress { _ = memset(p, 0, $0.count) } } }
        while fds.contains(where: { $0.fd >= 0 }) {
            if poll(&fds, 3, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0].fd >= 0 && fds[0].revents != 0 {
                var finished = fds[0].revents & Int16(POLLOUT) == 0
                if !finished {
                    let n = write(fds[0].fd, input.baseAddress! + written, min(input.count - written, 65536))
                    if n > 0 { written += n }
                    finished = written == input.count || (n < 0 && errno != EINTR && errno != EAGAIN)
                }
                if finished {
                    close(fds[0].fd)
                    fds[0].fd = -1
                }
            }
            for i in 1...2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if i == 1 { stdout += chunk[0..<n] } else { stderr += chunk[0..<n] }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fds[i].fd)
                    fds[i].fd = -1
                }
            }
        }
        for descriptor in fds where descriptor.fd >= 0 { close(descriptor.fd) }
    }

    /// Waits for `pid`: its exit status, or 128 plus the signal number when a signal ended it.
    static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// Calls `body` with a NULL-terminated C string array that lives for the call.
    public static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        // Swift's own allocation rather than strdup: the pair then always goes through the same allocator, which
        // libc's strdup does not when a sanitizer runtime intercepts free but not the strdup inside libc.
        var pointers: [UnsafeMutablePointer<CChar>?] = []
        pointers.reserveCapacity(strings.count + 1)
        for string in strings {
            pointers.append(string.withCString { (source: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar> in
                let count = strlen(source) + 1
                let copy = UnsafeMutablePointer<CChar>.allocate(capacity: count)
                copy.initialize(from: source, count: count)
                return copy
            })
        }
        pointers.append(nil)
        // The environment copies can hold secrets: wiped before the memory goes back.
        defer {
            for case let p? in pointers {
                explicit_bzero(p, strlen(p))
                p.deallocate()
            }
        }
        return body(pointers)
    }
}
