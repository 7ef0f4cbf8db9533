import CCloakLinux
import Core
import Sandbox

@testable import Injector

#if canImport(Glibc)
    import Glibc
#endif

/// The launch-probe binary built next to the test bundle.
var probe: String {
    let exe = FileSystem.realPath("/proc/self/exe") ?? ""
    return Path.join(Path.dirname(exe), "launch-probe")
}

/// `argv` as a same-user process without privileges: under root, through setpriv with every capability dropped
/// (uid 0 stays, so "same user" holds; CAP_SYS_PTRACE would otherwise bypass the dumpable check). Unprivileged
/// users already are that.
func unprivileged(_ argv: [String]) -> [String] {
    guard geteuid() == 0 else { return argv }
    return ["/usr/bin/setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--"] + argv
}

/// The first executable called `name` on our PATH.
func which(_ name: String) -> String? {
    let path = Environment.process["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// A fresh private temporary directory.
func makeTempDirectory() throws -> String {
    var template = Array("/tmp/cloak-sandbox-test-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
    guard let made else { throw CloakError(.io, "mkdtemp failed") }
    return String(cString: made)
}

/// A child started by the launcher's spawner (with an optional pre-launch hook), its stdout and stderr on
/// pipes.
final class ProbeProcess {
    let child: ChildProcess
    private(set) var stdout: [UInt8] = []
    private(set) var stderr: [UInt8] = []
    private let outFD: Int32
    private let errFD: Int32

    init(_ arguments: [String], hook: Sandbox.Hook? = nil, workingDirectory: String? = nil) throws {
        var request = SpawnRequest(
            command: LaunchCommand(
                arguments: arguments,
                environment: EnvironmentBlock.inheriting(),
                workingDirectory: workingDirectory
            )
        )
        request.preSpawn = hook
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard ccloak_pipe(&out, 0) == 0, ccloak_pipe(&err, 0) == 0 else { throw CloakError(.io, "pipe failed") }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            close(devNull)
            close(out[1])
            close(err[1])
        }
        request.stdin = .descriptor(devNull)
        request.stdout = .descriptor(out[1])
        request.stderr = .descriptor(err[1])
        outFD = out[0]
        errFD = err[0]
        do {
            child = try Spawner.spawn(request)
        } catch {
            close(outFD)
            close(errFD)
            throw error
        }
        for fd in [outFD, errFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        if child.outcome == nil {
            child.killHard()
            _ = child.wait()
        }
        close(outFD)
        close(errFD)
    }

    var pid: pid_t { child.pid }
    /// How the child ended, once `finish` saw it.
    var outcome: ExitOutcome? { child.outcome }
    /// Sends `signo` to the child.
    func signal(_ signo: Int32) { child.signal(signo) }
    /// Still running (not reaped), and whether it is stopped.
    func state() -> (running: Bool, stopped: Bool) {
        var stopped = false
        return (child.poll(stopped: &stopped) == nil, stopped)
    }
    var output: String { String(decoding: stdout, as: UTF8.self) }
    var errors: String { String(decoding: stderr, as: UTF8.self) }

    /// The result each `launch-probe try` line reported, by label ("ptrace-attach parent" → "EPERM").
    var results: [String: String] {
        var table: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let colon = line.lastIndex(of: ":") else { continue }
            table[String(line[..<colon])] = String(line[line.index(after: colon)...].trimmingPrefix(" "))
        }
        return table
    }

    private func pump(ms: Int32) {
        var fds = [
            pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0),
        ]
        guard poll(&fds, 2, ms) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        for (i, fd) in [outFD, errFD].enumerated() where fds[i].revents != 0 {
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                if i == 0 { stdout += buffer[0..<n] } else { stderr += buffer[0..<n] }
            }
        }
    }

    /// Reads until stdout contains `needle` or `seconds` pass.
    @discardableResult
    func waitForOutput(_ needle: String, seconds: Double = 20) -> Bool {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline, !output.contains(needle) { pump(ms: 20) }
        return output.contains(needle)
    }

    /// Waits for the child, reading its output; SIGKILL and nil after `seconds`.
    func finish(seconds: Double = 30) -> ExitOutcome? {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline {
            var stopped = false
            if let outcome = child.poll(stopped: &stopped) {
                for _ in 0..<5 { pump(ms: 5) }
                return outcome
            }
            pump(ms: 10)
        }
        child.killHard()
        _ = child.wait()
        return nil
    }

    /// Runs `arguments` to the end.
    static func run(_ arguments: [String], hook: Sandbox.Hook? = nil, workingDirectory: String? = nil) throws
        -> ProbeProcess
    {
        let process = try ProbeProcess(arguments, hook: hook, workingDirectory: workingDirectory)
        _ = process.finish()
        return process
    }
}
