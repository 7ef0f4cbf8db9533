import Glibc
public import Core

/// Runs a helper program (gpg, `SOPS_AGE_KEY_CMD`) with posix_spawn, feeding stdin and reading stdout and stderr
/// through pipes — the data key never touches a temporary file.
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: SecretBytes
        var stderr: [UInt8]
    }

    /// Runs `argv` (searched in PATH) with the current environment plus `extraEnv`.
    static func run(
        _ argv: [String], stdin input: SecretBytes? = nil, extraEnv: [String: String] = [:]
    ) throws(CloakError) -> Result {
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw CloakError(.spawn, "\(argv[0]): cannot create pipes")
        }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var envStrings = Environment.all().filter { kv in
            !extraEnv.keys.contains(where: { kv.hasPrefix($0 + "=") })
        }
        for (k, v) in extraEnv { envStrings.append("\(k)=\(v)") }
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, &cEnv)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw CloakError(.spawn, "\(argv[0]): cannot start: \(String(cString: strerror(rc)))")
        }
        // Small inputs only (a data key): write everything, then read both outputs with poll.
        if let input {
            input.withUnsafeBytes { buf in
                var off = 0
                while off < buf.count {
                    let n = write(inPipe[1], buf.baseAddress! + off, buf.count - off)
                    if n < 0 { if errno == EINTR { continue } else { break } }
                    off += n
                }
            }
        }
        close(inPipe[1])
        var out: [UInt8] = []
        var err: [UInt8] = []
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0),
                   pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buf = [UInt8](repeating: 0, count: 16384)
        while open > 0 {
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = buf.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if i == 0 { out += buf[0..<n] } else { err += buf[0..<n] }
                } else if n == 0 || errno != EINTR {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
        buf.withUnsafeMutableBytes { if let p = $0.baseAddress { _ = memset(p, 0, $0.count) } }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, stdout: SecretBytes(consuming: &out), stderr: err)
    }
}

/// The process environment.
enum Environment {
    /// `KEY=value` strings of the current process (read from /proc/self/environ's live equivalent via getenv order).
    static func all() -> [String] {
        var out: [String] = []
        var p = environ
        while let s = p.pointee {
            out.append(String(cString: s))
            p += 1
        }
        return out
    }

    /// One variable.
    static func get(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}
