
#if canImport(Glibc)
import CLI
import Core
import Glibc
import Injector
import Resolve
#endif

/// `cloak exec --watch DURATION [--on-change restart|signal:NAME]`.
struct WatchFlags {
    static let watch = OptionSpec.value(
        "watch", help: "Re-resolve the component's secrets on this interval (e.g. 30s, 5m) and act when one changed.")
    static let onChange = OptionSpec.value(
        "on-change", help: "restart (SIGTERM, wait, start again with the new values) or signal:SIGHUP (also SIGUSR1, SIGUSR2, …).",
        default: "restart")
    /// The options, for a command's spec.
    static let options = [watch, onChange]

    var watch: String?
    var onChange: String

    /// Reads the options from a parsed command line.
    init(_ arguments: ParsedArguments) {
        watch = arguments.string(Self.watch)
        onChange = arguments.string(Self.onChange) ?? "restart"
    }

    /// The parsed values.
    var settings: WatchSettings { WatchSettings(watch: watch, onChange: onChange) }
}

/// `--watch` and `--on-change` as plain values.
struct WatchSettings {
    var watch: String?
    var onChange = "restart"

    /// What to do when a value changed.
    enum Action: Equatable {
        case restart
        case signal(Int32)
    }

    func action() throws(CloakError) -> Action {
        if onChange == "restart" { return .restart }
        guard onChange.hasPrefix("signal:") else {
            throw CloakError(.usage, "--on-change \(onChange): expected restart or signal:SIGNAME")
        }
        var name = String(onChange.dropFirst("signal:".count)).uppercased()
        if !name.hasPrefix("SIG") { name = "SIG" + name }
        let known: [String: Int32] = ["SIGHUP": SIGHUP, "SIGUSR1": SIGUSR1, "SIGUSR2": SIGUSR2, "SIGTERM": SIGTERM, "SIGINT": SIGINT, "SIGQUIT": SIGQUIT, "SIGWINCH": SIGWINCH]
        guard let signo = known[name] else {
            throw CloakError(.usage, "--on-change \(onChange): cloak can forward SIGHUP, SIGUSR1, SIGUSR2, SIGTERM, SIGINT, SIGQUIT or SIGWINCH")
        }
        return .signal(signo)
    }
}

/// Keeps a child running with fresh secrets: every interval the component's environment is rebuilt (secret
/// backends, ref+ references and encrypted manifests read again) and compared with the running one (secret values
/// in constant time). On a change the child is restarted (SIGTERM through the supervisor, the kill timeout — 10 s
/// unless given — then SIGKILL, then a new start) or sent the chosen signal. At most one restart per interval.
/// A child that exits non-zero on its own is started again after 1 s, 2 s, 4 s … (capped at the interval); after
/// five quick failures in a row cloak gives up. When cloak is stopped (or the child exits 0 on its own) cloak ends
/// with the child's last status.
struct WatchLoop {
    static let maximumQuickFailures = 5

    let scope: Scope
    let flags: LaunchSettings
    let arguments: [String]
    let interval: Duration
    let action: WatchSettings.Action

    init(scope: Scope, flags: LaunchSettings, arguments: [String], watch: WatchSettings) throws(CloakError) {
        self.scope = scope
        self.flags = flags
        self.arguments = arguments
        interval = try DurationText.parse(watch.watch ?? "", flag: "--watch")
        guard interval >= .milliseconds(100) else { throw CloakError(.usage, "--watch must be at least 100ms") }
        action = try watch.action()
    }

    func run(_ first: ComponentLaunch) throws(CloakError) -> Never {
        RestartSignals.installGapHandlers()
        let intervalNanos = Self.nanos(interval)
        var current = first
        var (run, prepared) = try start(current)
        var startedAt = Self.now()
        var lastRestart = startedAt
        var nextCheck = startedAt + intervalNanos
        var failures = 0
        var restartPending = false
        var selfSentTerminating = 0
        while true {
            _ = prepared
            let waitMs = max(0, (nextCheck - Self.now()) / 1_000_000)
            if let result = run.wait(milliseconds: waitMs) {
                let report: SupervisionReport
                switch result {
                case .success(let r): report = r
                case .failure(let error):
                    Console.err(current.context.masker.apply(error.error.description))
                    exit(error.exitCode)
                }
                let terminating: Swift.Set<Int32> = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]
                let forwardedTerminating = report.forwarded.filter { terminating.contains($0) }.count
                let userStopped = RestartSignals.stopRequested != 0
                    || report.notForwarded.contains(where: { terminating.contains($0) })
                    || forwardedTerminating > selfSentTerminating
                selfSentTerminating = 0
                if restartPending && !userStopped {
                    restartPending = false
                    RestartSignals.restartHandled()
                    Console.err("cloak: secrets changed; starting the command again")
                    (run, prepared) = try start(current)
                    startedAt = Self.now()
                    continue
                }
                if userStopped || report.outcome == .exited(0) { report.outcome.terminateProcess() }
                failures = Self.now() - startedAt < intervalNanos ? failures + 1 : 1
                if failures >= Self.maximumQuickFailures {
                    Console.err("cloak: the command failed \(failures) times in a row (\(report.outcome)); giving up")
                    report.outcome.terminateProcess()
                }
                let backoff = min(intervalNanos, Int64(1_000_000_000) << Int64(failures - 1))
                Console.err("cloak: the command ended with \(report.outcome); starting it again in \(backoff / 1_000_000) ms")
                if !Self.sleep(nanos: backoff) { report.outcome.terminateProcess() }
                if let fresh = refreshed() { current = fresh }
                (run, prepared) = try start(current)
                startedAt = Self.now()
                continue
            }
            nextCheck = Self.now() + intervalNanos
            guard !restartPending, let fresh = refreshed(), Self.changed(current.plan, fresh.plan) else { continue }
            switch action {
            case .signal(let signo):
                current = fresh
                Console.err("cloak: secrets changed; sending signal \(signo) to the command")
                if [SIGTERM, SIGINT, SIGHUP, SIGQUIT].contains(signo) { selfSentTerminating += 1 }
                RestartSignals.forward(signo)
            case .restart:
                // At most one restart per interval; a change seen too early is acted on at a later check.
                guard Self.now() - lastRestart >= intervalNanos - intervalNanos / 10 else { continue }
                current = fresh
                lastRestart = Self.now()
                restartPending = true
                selfSentTerminating += 1
                RestartSignals.requestRestart()
            }
        }
    }

    /// The component resolved again, or nil (with a warning) when that failed: the running child is kept.
    private func refreshed() -> ComponentLaunch? {
        do {
            return try ComponentLaunch(scope: scope, flags: flags, quiet: true)
        } catch {
            Console.err("cloak: re-resolving secrets failed (keeping the running command): \(error.description)")
            return nil
        }
    }

    private func start(_ launch: ComponentLaunch) throws(CloakError) -> (BackgroundSupervision, ComponentLaunch.Prepared) {
        var prepared = try launch.prepare(arguments, flags: flags)
        // The loop compares each round's values with the last ones, so they must survive the start.
        prepared.options.afterSpawn = nil
        prepared.options.watch = true
        prepared.options.forceSupervise = true
        if prepared.options.killTimeout == nil { prepared.options.killTimeout = .seconds(10) }
        do {
            return (try BackgroundSupervision(prepared.command, options: prepared.options), prepared)
        } catch {
            Console.err(launch.context.masker.apply(error.error.description))
            exit(error.exitCode)
        }
    }

    /// Whether any variable was added, removed or changed; secret values are compared in constant time.
    static func changed(_ old: EnvironmentPlan, _ new: EnvironmentPlan) -> Bool {
        guard old.entries.count == new.entries.count else { return true }
        var byName: [String: EnvironmentPlan.Entry] = [:]
        for e in old.entries { byName[e.name] = e }
        var different = false
        for e in new.entries {
            guard let o = byName[e.name] else { return true }
            switch (o.value, e.value) {
            case (.plain(let a), .plain(let b)): if a != b { different = true }
            case (.secret(let a), .secret(let b)): if !a.isEqual(to: b) { different = true }
            default: different = true
            }
        }
        return different
    }

    /// Sleeps, waking early (returning false) when cloak is asked to stop.
    static func sleep(nanos: Int64) -> Bool {
        let end = now() + nanos
        while now() < end {
            if RestartSignals.stopRequested != 0 { return false }
            var ts = timespec(tv_sec: 0, tv_nsec: Int(min(50_000_000, max(0, end - now()))))
            nanosleep(&ts, nil)
        }
        return RestartSignals.stopRequested == 0
    }

    static func nanos(_ d: Duration) -> Int64 {
        let (s, a) = d.components
        return s * 1_000_000_000 + a / 1_000_000_000
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
