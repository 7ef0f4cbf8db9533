import CCloakLinux
import Core

#if canImport(Glibc)
    import Glibc
#endif

/// cloak staying resident: spawns the child, relays signals and (masked) output, reaps it, cleans up.
///
/// Signals. TERM, HUP, QUIT, USR1, USR2, WINCH and INT are forwarded to the child (to its group when it has
/// one). One exception: when the child shares cloak's process group and the signal came from the terminal
/// (si_code SI_KERNEL: ^C, ^\, hangup, resize), the kernel already delivered it to the whole foreground group,
/// so it is not sent again (Terraform takes a second interrupt as "abort now"). A kill() (SI_USER, SI_QUEUE) is
/// always forwarded. After a terminating signal (INT, TERM, HUP, QUIT) reached the child, `killTimeout` arms a
/// SIGKILL to its group (to the child alone when it shares cloak's group).
///
/// Job control. Sharing cloak's group (inherited stdio or pipes), TSTP/TTIN/TTOU/CONT keep their default
/// actions: ^Z stops cloak and the child together and `fg` continues both. On a PTY the child has its own
/// session: ^Z travels as a byte to the child's terminal; when the child stops, cloak restores the user's
/// terminal and stops itself (SIGSTOP), and on SIGCONT it re-enters raw mode, re-syncs the size and continues
/// the child. A SIGTSTP sent to cloak is passed to the child's foreground group, which leads to the same path.
final class Supervisor {
    private enum Mode {
        case inherit
        case pipes(stdout: Int32, stderr: Int32)
        case terminal(PseudoTerminal)
    }

    private struct OutputStream {
        var source: Int32
        var destination: Int32
        var masker: Masker
        var open = true
    }

    /// How long a masker may hold a partial match while the child is silent, so prompts appear.
    // Only bytes that could start a secret are ever held back, so a long hold delays almost nothing, while a
    // short one would release half a secret written in two slow pieces.
    static let idleFlushMilliseconds: Int32 = 250
    /// How long output is still drained after the child exited (descendants may hold the pipes open).
    static let drainMilliseconds: Int64 = 200

    private let options: LaunchOptions
    private var streams: [OutputStream] = []
    private var pty: PseudoTerminal?
    private var input: [UInt8] = []
    private var inputOpen = false
    private var stdoutBroken = false
    private var killDeadline: Int64?
    private var expectContinue = false
    private var report = SupervisionReport(outcome: .exited(0))
    private var readBuffer = [UInt8](repeating: 0, count: 65536)

    init(options: LaunchOptions) { self.options = options }

    /// Runs `command` to completion.
    func run(_ command: LaunchCommand) throws(LaunchError) -> SupervisionReport {
        let mode = try prepareMode()
        // SIGPIPE is caught (and dropped) so a closed stdout becomes EPIPE instead of killing cloak with the
        // terminal left raw; the previous disposition comes back with the others.
        var caught: [Int32] = [SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGINT, SIGCHLD, SIGPIPE]
        if case .terminal = mode { caught += [SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT] }
        let relay = try SignalRelay(signals: caught)
        defer {
            ccloak_tty_release()
            relay.restore()
            readBuffer.withUnsafeMutableBytes { ccloak_wipe($0.baseAddress, $0.count) }
            for path in options.filesToRemove { unlink(path) }
        }

        var request = SpawnRequest(command: command)
        request.newProcessGroup = options.newProcessGroup
        request.preSpawn = options.preLaunch
        switch mode {
        case .inherit: break
        case .pipes(let out, let err):
            request.stdout = .descriptor(out)
            request.stderr = .descriptor(err)
        case .terminal(let terminal):
            request.controllingTerminal = terminal.slavePath
        }
        let child: ChildProcess
        do {
            child = try Spawner.spawn(request)
        } catch {
            closeStreams()
            throw error
        }
        if case .pipes(let out, let err) = mode {
            close(out)
            close(err)
        }
        if case .terminal = mode, isatty(STDIN_FILENO) == 1, ccloak_tty_enter_raw(STDIN_FILENO) == 0 {
            _ = ccloak_tty_guard_fatal_signals()
        }

        report.outcome = loop(child, relay)
        closeStreams()
        return report
    }

    // MARK: - Setup

    private func prepareMode() throws(LaunchError) -> Mode {
        let masking = options.masking
        let wantsTerminal: Bool
        switch options.pseudoTerminal {
        case .always: wantsTerminal = true
        case .never: wantsTerminal = false
        case .automatic: wantsTerminal = masking != nil && isatty(STDOUT_FILENO) == 1
        }
        let set = masking ?? MaskSet(secrets: [])
        if wantsTerminal {
            let terminal = try PseudoTerminal()
            terminal.inherit(from: STDIN_FILENO, size: isatty(STDOUT_FILENO) == 1 ? STDOUT_FILENO : STDIN_FILENO)
            setNonBlocking(terminal.master)
            pty = terminal
            streams = [OutputStream(source: terminal.master, destination: STDOUT_FILENO, masker: set.makeMasker())]
            inputOpen = true
            return .terminal(terminal)
        }
        guard masking != nil else { return .inherit }
        let out = try makePipe()
        let err: [Int32]
        do { err = try makePipe() } catch {
            close(out[0])
            close(out[1])
            throw error
        }
        streams = [
            OutputStream(source: out[0], destination: STDOUT_FILENO, masker: set.makeMasker()),
            OutputStream(source: err[0], destination: STDERR_FILENO, masker: set.makeMasker()),
        ]
        return .pipes(stdout: out[1], stderr: err[1])
    }

    private func makePipe() throws(LaunchError) -> [Int32] {
        var fds: [Int32] = [-1, -1]
        let rc = ccloak_pipe(&fds, 0)
        if rc != 0 { throw .spawn("cannot create output pipe: \(String(cString: strerror(rc)))") }
        setNonBlocking(fds[0])
        return fds
    }

    private func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    private func closeStreams() {
        for stream in streams where pty == nil || stream.source != pty?.master { close(stream.source) }
        streams = []
        pty = nil
    }

    // MARK: - Loop

    private func loop(_ child: ChildProcess, _ relay: SignalRelay) -> ExitOutcome {
        var outcome: ExitOutcome?
        var exitedAt: Int64?
        while true {
            if outcome == nil {
                var stopped = false
                outcome = child.poll(stopped: &stopped)
                if stopped { suspendWithChild(child) }
                if outcome != nil { exitedAt = Self.now() }
            }
            if outcome != nil && streams.allSatisfy({ !$0.open }) { break }
            if let exitedAt, Self.now() - exitedAt > Self.drainMilliseconds * 1_000_000 { break }

            var fds: [pollfd] = [pollfd(fd: relay.readDescriptor, events: Int16(POLLIN), revents: 0)]
            if outcome == nil && child.pidfd >= 0 {
                fds.append(pollfd(fd: child.pidfd, events: Int16(POLLIN), revents: 0))
            }
            let streamBase = fds.count
            for stream in streams {
                fds.append(pollfd(fd: stream.open ? stream.source : -1, events: Int16(POLLIN), revents: 0))
            }
            let stdinIndex = fds.count
            if outcome == nil && inputOpen && input.count < 65536 {
                fds.append(pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0))
            }
            let masterIndex = fds.count
            if outcome == nil, let pty, !input.isEmpty {
                fds.append(pollfd(fd: pty.master, events: Int16(POLLOUT), revents: 0))
            }

            let rc = fds.withUnsafeMutableBufferPointer {
                poll($0.baseAddress, nfds_t($0.count), timeout(child, outcome))
            }
            if rc < 0 && errno != EINTR { break }

            for signal in relay.drain() { handle(signal, child) }
            if rc > 0 {
                for i in 0..<streams.count where fds[streamBase + i].revents != 0 { pump(i) }
                if stdinIndex < fds.count && stdinIndex < masterIndex && fds[stdinIndex].revents != 0 { readInput() }
                if masterIndex < fds.count && fds[masterIndex].revents != 0 { writeInput() }
            } else if rc == 0 {
                flushIdle()
            }
            if let deadline = killDeadline, outcome == nil, Self.now() >= deadline {
                killDeadline = nil
                child.killHard()
                report.killedAfterTimeout = true
            }
        }
        for i in streams.indices { finish(i) }
        return outcome ?? child.wait()
    }

    private func timeout(_ child: ChildProcess, _ outcome: ExitOutcome?) -> Int32 {
        var ms: Int64 = child.pidfd >= 0 || outcome != nil ? 1000 : 100
        if outcome != nil { ms = Self.drainMilliseconds / 4 }
        if streams.contains(where: { $0.masker.pendingCount > 0 }) { ms = min(ms, Int64(Self.idleFlushMilliseconds)) }
        if let deadline = killDeadline { ms = min(ms, max(0, (deadline - Self.now()) / 1_000_000 + 1)) }
        return Int32(ms)
    }

    // MARK: - Signals

    private func handle(_ signal: ReceivedSignal, _ child: ChildProcess) {
        switch signal.signo {
        case SIGCHLD, SIGPIPE:
            return  // the loop polls the child on every wake-up; EPIPE is handled where the write failed
        case SIGWINCH where pty != nil:
            pty?.resize(from: isatty(STDOUT_FILENO) == 1 ? STDOUT_FILENO : STDIN_FILENO)
        case SIGTSTP:
            // Stop the job on the child's terminal like ^Z would; its stop then suspends cloak too.
            if let group = pty?.foregroundGroup { kill(-group, SIGTSTP) } else { child.signal(SIGTSTP) }
        case SIGTTIN, SIGTTOU:
            ccloak_tty_restore()
            kill(getpid(), SIGSTOP)
            resumeAfterStop(child)
        case SIGCONT:
            if expectContinue {
                expectContinue = false
            } else {
                resumeAfterStop(child)
            }
        default:
            if !child.ownsGroup && signal.fromKernel {
                report.notForwarded.append(signal.signo)  // the terminal already reached the child
                break
            }
            child.signal(signal.signo)
            report.forwarded.append(signal.signo)
            if [SIGINT, SIGTERM, SIGHUP, SIGQUIT].contains(signal.signo) { armKillTimeout() }
            return
        }
        if !child.ownsGroup && signal.fromKernel && [SIGINT, SIGTERM, SIGHUP, SIGQUIT].contains(signal.signo) {
            armKillTimeout()
        }
    }

    private func armKillTimeout() {
        guard let timeout = options.killTimeout, killDeadline == nil else { return }
        let (seconds, attoseconds) = timeout.components
        killDeadline = Self.now() + seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The child stopped on its PTY: give the user their terminal back and stop with it.
    private func suspendWithChild(_ child: ChildProcess) {
        guard pty != nil else { return }
        // What the child wrote before stopping belongs on the screen before the shell's "Stopped".
        for i in streams.indices where streams[i].open { pump(i) }
        flushIdle()
        ccloak_tty_restore()
        expectContinue = true
        kill(getpid(), SIGSTOP)
        resumeAfterStop(child)
    }

    private func resumeAfterStop(_ child: ChildProcess) {
        guard let pty else { return }
        _ = ccloak_tty_reenter_raw()
        pty.resize(from: isatty(STDOUT_FILENO) == 1 ? STDOUT_FILENO : STDIN_FILENO)
        child.signal(SIGCONT)
    }

    // MARK: - Data

    private func pump(_ i: Int) {
        var out: [UInt8] = []
        while streams[i].open {
            let n = readBuffer.withUnsafeMutableBytes { read(streams[i].source, $0.baseAddress, $0.count) }
            if n > 0 {
                out.removeAll(keepingCapacity: true)
                readBuffer.withUnsafeBytes {
                    streams[i].masker.process(UnsafeRawBufferPointer(rebasing: $0[0..<n]), into: &out)
                }
                emit(out, to: streams[i].destination)
                if n < readBuffer.count { break }
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN { break }
            finish(i)  // EOF, or EIO once no process holds the PTY slave
        }
    }

    private func finish(_ i: Int) {
        guard streams[i].open else { return }
        streams[i].open = false
        var out: [UInt8] = []
        streams[i].masker.flush(into: &out)
        emit(out, to: streams[i].destination)
    }

    private func flushIdle() {
        for i in streams.indices where streams[i].open && streams[i].masker.pendingCount > 0 {
            var out: [UInt8] = []
            streams[i].masker.flush(into: &out)
            emit(out, to: streams[i].destination)
        }
    }

    private func emit(_ bytes: [UInt8], to fd: Int32) {
        guard !bytes.isEmpty, !(fd == STDOUT_FILENO && stdoutBroken) else { return }
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno == EAGAIN {
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 100)
                    continue
                }
                if fd == STDOUT_FILENO { stdoutBroken = true }
                return
            }
        }
    }

    private func readInput() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if n > 0 {
            input.append(contentsOf: buffer[0..<n])
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
            // End of input: send the terminal's EOF character so a reading child sees end of file.
            inputOpen = false
            if let pty { input.append(ccloak_tty_eof_char(pty.master)) }
        }
        buffer.withUnsafeMutableBytes { ccloak_wipe($0.baseAddress, $0.count) }
    }

    private func writeInput() {
        guard let pty, !input.isEmpty else { return }
        let n = input.withUnsafeBytes { write(pty.master, $0.baseAddress, $0.count) }
        if n > 0 {
            input.withUnsafeMutableBytes { ccloak_wipe($0.baseAddress, n) }
            input.removeFirst(n)
        } else if n < 0 && errno != EINTR && errno != EAGAIN {
            input.removeAll()
            inputOpen = false
        }
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
