public import Core
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A supervised child (`Launcher.superviseReporting`) running on its own thread, so the caller can do other work
/// meanwhile — `cloak exec --watch` re-resolves secrets while the child runs and restarts it on changes.
public final class BackgroundSupervision: @unchecked Sendable {
    private final class Job: @unchecked Sendable {
        let command: LaunchCommand
        let options: LaunchOptions
        let result = Mutex<Result<SupervisionReport, LaunchError>?>(nil)
        let wakeWrite: Int32
        init(command: LaunchCommand, options: LaunchOptions, wakeWrite: Int32) {
            self.command = command
            self.options = options
            self.wakeWrite = wakeWrite
        }
        func run() {
            let outcome: Result<SupervisionReport, LaunchError>
            do { outcome = .success(try Launcher.superviseReporting(command, options: options)) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private let job: Job
    private let wakeRead: Int32
    private var thread = pthread_t()
    private var joined = false

    /// Starts supervising `command` on a new thread.
    public init(_ command: LaunchCommand, options: LaunchOptions) throws(LaunchError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .spawn("cannot create a wake-up pipe") }
        wakeRead = fds[0]
        job = Job(command: command, options: options, wakeWrite: fds[1])
        let box = Unmanaged.passRetained(job)
        let rc = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, box.toOpaque())
        if rc != 0 {
            box.release()
            close(fds[0])
            close(fds[1])
            throw .spawn("cannot start the supervision thread")
        }
    }

    deinit {
        if !joined { pthread_join(thread, nil) }
        close(wakeRead)
        close(job.wakeWrite)
    }

    /// Waits up to `milliseconds` (negative: without limit) for the child to end: its report, or nil while it
    /// still runs.
    public func wait(milliseconds: Int64) -> Result<SupervisionReport, LaunchError>? {
        if joined { return job.result.withLock { $0 } }
        let deadline = Self.now() + max(0, milliseconds) * 1_000_000
        while true {
            let remaining = milliseconds < 0 ? -1 : Int32(clamping: max(0, (deadline - Self.now()) / 1_000_000))
            var p = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            let rc = poll(&p, 1, remaining)
            if rc > 0 { break }
            if rc < 0 && errno == EINTR { continue }
            if rc == 0 { return nil }
        }
        pthread_join(thread, nil)
        joined = true
        return job.result.withLock { $0 }
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

private let stopSignal = Atomic<Int32>(0)
private let restartExpected = Atomic<Bool>(false)

/// Signals for a restarting supervisor. Between two supervised runs, TERM/INT/HUP/QUIT are recorded as a stop
/// request instead of killing cloak (the supervisor installs its own forwarding handlers while a child runs and puts
/// these back afterwards). A restart is requested by sending SIGTERM to cloak itself: the running supervisor
/// forwards it to the child; if the child ended in the meantime the gap handler ignores it.
public enum RestartSignals {
    /// Installs the gap handlers (once, before the first run).
    public static func installGapHandlers() {
        for signo in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] {
            _ = signal(signo) { signo in
                if !restartExpected.load(ordering: .relaxed) { stopSignal.store(signo, ordering: .relaxed) }
            }
        }
        // A forwarded notification that arrives after the child ended must not kill cloak (a handler, not SIG_IGN,
        // so nothing ignored is inherited by the next child). SIGPIPE too: the supervisor catches it while a child
        // runs, and a write to a closed pipe between two runs must be an EPIPE, not the end of the watch (exit 141).
        for signo in [SIGUSR1, SIGUSR2, SIGWINCH, SIGPIPE] {
            _ = signal(signo) { _ in }
        }
    }

    /// The stop signal received between runs, or 0.
    public static var stopRequested: Int32 { stopSignal.load(ordering: .relaxed) }

    /// Asks the running supervisor to stop the child gracefully (SIGTERM, forwarded).
    public static func requestRestart() {
        restartExpected.store(true, ordering: .relaxed)
        _ = kill(getpid(), SIGTERM)
    }

    /// Call once the child stopped for a restart.
    public static func restartHandled() { restartExpected.store(false, ordering: .relaxed) }

    /// Sends `signo` to cloak itself; the running supervisor forwards it to the child.
    public static func forward(_ signo: Int32) {
        restartExpected.store(true, ordering: .relaxed)
        _ = kill(getpid(), signo)  // delivered to this (unblocking) thread before kill returns
        restartExpected.store(false, ordering: .relaxed)
    }
}
