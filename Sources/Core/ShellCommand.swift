#if canImport(Glibc)
import Glibc
#endif

/// Runs short helper commands (`!exec`, key commands) and captures their output.
public enum ShellCommand {
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
        var outPipe: [Int32] = [-1, -1]
        var inPipe: [Int32] = [-1, -1]
        guard makePipe(&outPipe) else { throw FileSystem.ioError("cannot create pipe for", argv[0], errno) }
        if input != nil {
            guard makePipe(&inPipe) else {
                close(outPipe[0])
                close(outPipe[1])
                throw FileSystem.ioError("cannot create pipe for", argv[0], errno)
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        let envStrings = environment.all().map { "\($0.0)=\($0.1)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cargv in
            withCStrings(envStrings) { cenv in
                posix_spawnp(&pid, argv[0], &actions, nil, cargv, cenv)
            }
        }
        close(outPipe[1])
        if input != nil { close(inPipe[0]) }
        guard rc == 0 else {
            close(outPipe[0])
            if input != nil { close(inPipe[1]) }
            throw CloakError(.spawn, "cannot run \(argv[0]): \(String(cString: strerror(rc)))")
        }
        if let input {
            // Small inputs only (keys, data keys): fits in the pipe buffer, so no writer thread is needed.
            var offset = 0
            while offset < input.count {
                let n = input[offset...].withUnsafeBytes { write(inPipe[1], $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += n
            }
            close(inPipe[1])
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(outPipe[0], $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            output.append(contentsOf: chunk[0..<n])
        }
        close(outPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, output)
    }

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// Calls `body` with a NULL-terminated C string array that lives for the call.
    public static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}
