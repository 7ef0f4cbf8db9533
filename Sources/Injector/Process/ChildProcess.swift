import CCloakLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A started child: its pid, a pidfd when the kernel has pidfd_open, and whether it leads its own process group.
final class ChildProcess {
    /// The child's process id.
    let pid: pid_t
    /// True when the child leads its own process group (new group or new session), so signals go to `-pid`.
    let ownsGroup: Bool
    /// A pidfd that polls readable when the child exits, or -1 (Linux < 5.3: fall back to SIGCHLD + waitpid).
    private(set) var pidfd: Int32
    /// Set once reaped.
    private(set) var outcome: ExitOutcome?

    init(pid: pid_t, ownsGroup: Bool) {
        self.pid = pid
        self.ownsGroup = ownsGroup
        let fd = ccloak_pidfd_open(pid)
        pidfd = fd >= 0 ? fd : -1
    }

    deinit { if pidfd >= 0 { close(pidfd) } }

    /// Sends `signo` to the child, or to its group when it has one. A reaped child is never signalled (its pid
    /// may have been reused).
    func signal(_ signo: Int32) {
        guard outcome == nil else { return }
        _ = kill(ownsGroup ? -pid : pid, signo)
    }

    /// SIGKILL to the child's group when it has one, else to the child only (cloak shares its group otherwise).
    func killHard() { signal(SIGKILL) }

    /// Reaps the child without blocking; nil while it runs. `stopped` reports a job-control stop.
    func poll(stopped: inout Bool) -> ExitOutcome? {
        if let outcome { return outcome }
        var status: Int32 = 0
        while true {
            let rc = waitpid(pid, &status, WNOHANG | WUNTRACED)
            if rc == 0 { return nil }
            if rc < 0 {
                if errno == EINTR { continue }
                return nil
            }
            break
        }
        if status & 0xff == 0x7f {
            stopped = true
            return nil
        }
        let result = ExitOutcome(waitStatus: status)
        finish(result)
        return result
    }

    /// Blocks until the child ends.
    func wait() -> ExitOutcome {
        if let outcome { return outcome }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { break }
        }
        let result = ExitOutcome(waitStatus: status)
        finish(result)
        return result
    }

    private func finish(_ result: ExitOutcome) {
        outcome = result
        if pidfd >= 0 {
            close(pidfd)
            pidfd = -1
        }
    }
}
