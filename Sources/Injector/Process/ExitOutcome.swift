import CCloakLinux

#if canImport(Glibc)
    import Glibc
#endif

/// How a child process ended.
public enum ExitOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Normal exit with this status (0–255).
    case exited(Int32)
    /// Killed by this signal.
    case signaled(Int32, coreDumped: Bool)

    /// Decodes a `waitpid` status (the W* macros do not import into Swift).
    init(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(low, coreDumped: status & 0x80 != 0)
        }
    }

    /// The status a shell reports in `$?`: the exit code, or 128 + signal number.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signo, _): 128 + signo
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exited(\(code))"
        case .signaled(let signo, let core): core ? "signaled(\(signo), core dumped)" : "signaled(\(signo))"
        }
    }

    /// Ends the calling process the way the child ended, so the parent shell sees the same thing: `exit(code)`,
    /// or for a signal death: RLIMIT_CORE 0 (no core of cloak's memory), default disposition, unblock, `raise`.
    /// Falls back to `exit(128 + N)` when the signal does not terminate (for example SIGCHLD's default is ignore).
    /// Call it only after the terminal has been restored (supervise does that before returning).
    public func terminateProcess() -> Never {
        switch self {
        case .exited(let code):
            exit(code)
        case .signaled(let signo, _):
            ccloak_die_of_signal(signo)
            exit(128 + signo)
        }
    }
}

/// What happened during a supervised run (for `--verbose` and a value-free audit record).
public struct SupervisionReport: Sendable, Equatable {
    /// How the child ended.
    public var outcome: ExitOutcome
    /// Signals cloak passed on to the child, in order.
    public var forwarded: [Int32] = []
    /// Terminal-generated signals not passed on because the child shares cloak's group and already got them.
    public var notForwarded: [Int32] = []
    /// Whether the kill timeout expired and the child was sent SIGKILL.
    public var killedAfterTimeout = false

    /// Creates a report.
    public init(outcome: ExitOutcome) { self.outcome = outcome }
}
