import CCloakLinux
import Core

@testable import Injector

#if canImport(Glibc)
    import Glibc
#endif

/// A secret from a literal (test data only).
func secret(_ text: String) -> SecretBytes {
    var bytes = Array(text.utf8)
    return SecretBytes(consuming: &bytes)
}

/// The launch-probe binary built next to the test bundle.
var probePath: String {
    let exe = FileSystem.realPath("/proc/self/exe") ?? ""
    return Path.join(Path.dirname(exe), "launch-probe")
}

/// A fresh private temporary directory.
func makeTempDirectory() -> String {
    var template = Array("/tmp/cloak-launch-test-XXXXXX".utf8CString)
    let dir = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: dir!)
}

/// Writes a file with `mode`.
func writeFile(_ path: String, _ text: String, mode: mode_t) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    precondition(fd >= 0)
    var t = text
    t.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
    close(fd)
    chmod(path, mode)
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The process environment plus `extra`, as a block.
func environment(_ extra: [String: String] = [:]) throws -> EnvironmentBlock {
    var block = EnvironmentBlock.inheriting()
    for (k, v) in extra.sorted(by: { $0.key < $1.key }) { try block.set(k, v) }
    return block
}

/// A child started by the launcher's own spawner with stdout/stderr on pipes (or on a terminal), for driving
/// real scenarios: read until a marker, send signals, wait with a deadline.
final class TestProcess {
    let child: ChildProcess
    private(set) var stdout: [UInt8] = []
    private(set) var stderr: [UInt8] = []
    private var outFD: Int32
    private var errFD: Int32

    init(
        _ arguments: [String],
        environment env: EnvironmentBlock? = nil,
        terminal: PseudoTerminal? = nil,
        newProcessGroup: Bool = false,
        workingDirectory: String? = nil,
        descriptors: [InheritedDescriptor] = [],
        preSpawn: PreLaunchHook? = nil
    ) throws {
        let command = LaunchCommand(
            arguments: arguments,
            environment: try env ?? environment(),
            workingDirectory: workingDirectory,
            descriptors: descriptors
        )
        var request = SpawnRequest(command: command)
        request.newProcessGroup = newProcessGroup
        request.preSpawn = preSpawn
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }
        if let terminal {
            request.controllingTerminal = terminal.slavePath
            outFD = dup(terminal.master)
            errFD = -1
        } else {
            precondition(ccloak_pipe(&out, 0) == 0 && ccloak_pipe(&err, 0) == 0)
            request.stdin = .descriptor(devNull)
            request.stdout = .descriptor(out[1])
            request.stderr = .descriptor(err[1])
            outFD = out[0]
            errFD = err[0]
        }
        defer {
            if terminal == nil {
                close(out[1])
                close(err[1])
            }
        }
        do {
            child = try Spawner.spawn(request)
        } catch {
            if outFD >= 0 { close(outFD) }
            if errFD >= 0 { close(errFD) }
            throw error
        }
        for fd in [outFD, errFD] where fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        if child.outcome == nil {
            child.killHard()
            _ = child.wait()
        }
        if outFD >= 0 { close(outFD) }
        if errFD >= 0 { close(errFD) }
    }

    var pid: pid_t { child.pid }
    var output: String { String(decoding: stdout, as: UTF8.self) }
    var errors: String { String(decoding: stderr, as: UTF8.self) }

    /// Reads whatever is available, waiting up to `ms`.
    func pump(ms: Int32) {
        var fds = [
            pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0),
        ]
        guard poll(&fds, 2, ms) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        for (i, fd) in [outFD, errFD].enumerated() where fd >= 0 && fds[i].revents != 0 {
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                if i == 0 { stdout += buffer[0..<n] } else { stderr += buffer[0..<n] }
            }
        }
    }

    /// Reads until stdout contains `needle` or `seconds` pass.
    @discardableResult
    func waitForOutput(_ needle: String, seconds: Double = 10) -> Bool {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline {
            if output.contains(needle) { return true }
            pump(ms: 20)
        }
        return output.contains(needle)
    }

    /// Writes to the terminal master (terminal mode only).
    func type(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(outFD, $0.baseAddress, $0.count) }
    }

    func send(_ signo: Int32) { kill(child.pid, signo) }

    /// Waits for the child (reading its output meanwhile); SIGKILL and nil after `seconds`.
    func finish(seconds: Double = 15) -> ExitOutcome? {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline {
            var stopped = false
            if let outcome = child.poll(stopped: &stopped) {
                for _ in 0..<5 { pump(ms: 10) }
                return outcome
            }
            pump(ms: 10)
        }
        child.killHard()
        _ = child.wait()
        return nil
    }
}
