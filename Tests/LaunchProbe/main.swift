// launch-probe: a test-only driver for the launcher, so tests can aim real signals and terminals at a real
// supervising process. Not shipped.
//
//   launch-probe [options] -- COMMAND [ARGS…]       run COMMAND through Launcher (strategy, or forced)
//     --supervise | --exec                           force a strategy
//     --mask VALUE                                   mask VALUE (repeatable)
//     --env NAME=VALUE | --secret-env NAME=VALUE     add to the inherited environment
//     --file NAME:FD=VALUE                           memfd secret at FD, NAME=/dev/fd/FD
//     --kill-timeout MS  --new-group  --pty always|never|auto  --cwd DIR
//     --no-new-privs                                 pre-launch hook sets no_new_privs
//     --report                                       print "outcome: …" on stderr before ending like the child
//     --harden PROFILE                               pre-launch hook installs a Sandbox seccomp profile
//   Process flags, before everything else (HardenModes.swift):
//     --harden-self                                  Sandbox.hardenSelf() first (dumpable 0, soft RLIMIT_CORE 0)
//     --core-unlimited | --memlock-zero | --ptracer-any   raise RLIMIT_CORE / zero RLIMIT_MEMLOCK / Yama any tracer
//   launch-probe try OP [TARGET] …                  ptrace-attach, process-vm-readv, … (SyscallTry.swift)
//   launch-probe hold                               print "ready PID dumpable=D", wait for a signal
//   launch-probe memlock-status                     Sandbox.memoryLockStatus() and a guarded-memory round trip
//   launch-probe seccomp-pfc PROFILE                libseccomp pseudo code of a profile
//   launch-probe syscall-loop N                     ns per getppid
//   launch-probe harden-bench [N]                   per-exec overhead of --harden default
//   launch-probe count-signals SIGNAL MS            print "ready", count deliveries for MS, print and exit count
//   launch-probe mask-bench [MB] [SECRETS]          masking throughput
import CCloakLinux
import Core
import Injector
import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

func fail(_ message: String, _ code: Int32 = 2) -> Never {
    var text = "launch-probe: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

func say(_ line: String, to fd: Int32 = 1) {
    var text = line + "\n"
    text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

func secret(_ text: String) -> SecretBytes {
    var bytes = Array(text.utf8)
    return SecretBytes(consuming: &bytes)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func countSignals(_ arguments: [String]) -> Never {
    guard arguments.count == 2, let ms = Int(arguments[1]) else { fail("usage: count-signals SIGNAL MS") }
    let names: [String: Int32] = ["INT": SIGINT, "TERM": SIGTERM, "HUP": SIGHUP, "USR1": SIGUSR1, "WINCH": SIGWINCH]
    guard let signo = names[arguments[0]] else { fail("unknown signal \(arguments[0])") }
    var fds: [Int32] = [-1, -1]
    guard ccloak_pipe(&fds, 1) == 0 else { fail("pipe") }
    var list = [signo]
    guard ccloak_signals_install(fds[1], &list, 1) == 0 else { fail("sigaction") }
    say("ready")
    let deadline = now() + Double(ms) / 1000
    var count: Int32 = 0
    var event = ccloak_signal_event()
    // Spin instead of sleeping: a running process takes a signal at once, so a second one sent a few
    // microseconds later is counted rather than merged into the still-pending first.
    while now() < deadline {
        while read(fds[0], &event, MemoryLayout<ccloak_signal_event>.size) > 0 { count += 1 }
    }
    say("\(arguments[0])=\(count)")
    exit(count)
}

func maskBench(_ arguments: [String]) -> Never {
    let megabytes = arguments.count > 0 ? Int(arguments[0]) ?? 256 : 256
    let secretCount = arguments.count > 1 ? Int(arguments[1]) ?? 100 : 100
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    var plain: [[UInt8]] = []
    for _ in 0..<secretCount {
        plain.append((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }
    // Log-like text: words, digits, punctuation and newlines, with a secret every ~64 KB.
    let words = [
        "terraform", "apply", "resource", "aws_s3_bucket", "id=", "Refreshing", "state...", "[INFO]", "module.vpc",
        "(known after apply)", "+", "~", "arn:aws:iam::123456789012:role/x", "2024-05-01T12:00:00Z", "\n",
    ]
    var sample: [UInt8] = []
    sample.reserveCapacity(1 << 22)
    while sample.count < 1 << 22 {
        sample.append(contentsOf: Array(words[Int.random(in: 0..<words.count, using: &rng)].utf8))
        sample.append(32)
        if Int.random(in: 0..<4000, using: &rng) == 0 {
            sample.append(contentsOf: plain[Int.random(in: 0..<plain.count, using: &rng)])
        }
    }
    for (label, derived) in [("values only", false), ("values + derived forms", true)] {
        let set = MaskSet(
            secrets: plain.map { p in
                var c = p
                return SecretBytes(consuming: &c)
            },
            derivedForms: derived
        )
        let masker = set.makeMasker()
        var out: [UInt8] = []
        out.reserveCapacity(70_000)
        let chunk = 65536
        let total = megabytes << 20
        var done = 0
        var produced = 0
        let start = now()
        sample.withUnsafeBytes { buf in
            while done < total {
                let offset = done % (buf.count - chunk)
                out.removeAll(keepingCapacity: true)
                masker.process(UnsafeRawBufferPointer(rebasing: buf[offset..<(offset + chunk)]), into: &out)
                produced += out.count
                done += chunk
            }
        }
        let seconds = now() - start
        say(
            "mask-bench: \(label): \(set.patternCount) patterns, \(megabytes) MB in \(Int(seconds * 1000)) ms = \(Int(Double(megabytes) / seconds)) MB/s (out \(produced >> 20) MB)"
        )
    }
    exit(0)
}

var args = Array(CommandLine.arguments.dropFirst())
applyProcessFlags(&args)
switch args.first {
case "try": trySyscalls(Array(args.dropFirst()))
case "hold": hold()
case "memlock-status": memlockStatus()
case "seccomp-pfc": seccompPseudoCode(Array(args.dropFirst()))
case "syscall-loop": syscallLoop(Array(args.dropFirst()))
case "harden-bench": hardenBench(Array(args.dropFirst()))
default: break
}
if args.first == "count-signals" { countSignals(Array(args.dropFirst())) }
if args.first == "mask-bench" { maskBench(Array(args.dropFirst())) }

var options = LaunchOptions()
var masks: [SecretBytes] = []
var extra: [(String, EnvironmentBlock.Value)] = []
var files: [SecretFile] = []
var forced: LaunchStrategy?
var report = false
var cwd: String?
while let arg = args.first, arg != "--" {
    args.removeFirst()
    func value() -> String {
        guard !args.isEmpty else { fail("\(arg) needs a value") }
        return args.removeFirst()
    }
    switch arg {
    case "--supervise": forced = .supervise
    case "--exec": forced = .exec
    case "--report": report = true
    case "--mask": masks.append(secret(value()))
    case "--env", "--secret-env":
        let v = value()
        guard let eq = v.firstIndex(of: "=") else { fail("\(arg) needs NAME=VALUE") }
        let name = String(v[..<eq])
        let text = String(v[v.index(after: eq)...])
        extra.append((name, arg == "--env" ? .plain(text) : .secret(secret(text))))
    case "--file":
        let v = value()
        guard let colon = v.firstIndex(of: ":"), let eq = v.firstIndex(of: "="), colon < eq,
            let fd = Int32(v[v.index(after: colon)..<eq])
        else { fail("--file needs NAME:FD=VALUE") }
        do {
            let file = try SecretFile(contents: secret(String(v[v.index(after: eq)...])), target: fd)
            files.append(file)
            extra.append((String(v[..<colon]), .plain(file.path)))
        } catch { fail(error.description) }
    case "--kill-timeout":
        guard let ms = Int(value()) else { fail("--kill-timeout needs milliseconds") }
        options.killTimeout = .milliseconds(ms)
    case "--new-group": options.newProcessGroup = true
    case "--pty":
        switch value() {
        case "always": options.pseudoTerminal = .always
        case "never": options.pseudoTerminal = .never
        default: options.pseudoTerminal = .automatic
        }
    case "--cwd": cwd = value()
    case "--no-new-privs":
        options.preLaunch = { () throws(CloakError) in
            if ccloak_set_no_new_privs() != 0 { throw CloakError(.spawn, "prctl(PR_SET_NO_NEW_PRIVS) failed") }
        }
    case "--harden":
        do throws(CloakError) {
            options.preLaunch = try Sandbox.preLaunchHook(SeccompProfile(name: value()))
        } catch {
            fail(error.description, error.exitCode)
        }
    default: fail("unknown option \(arg)")
    }
}
guard args.first == "--", args.count > 1 else { fail("usage: launch-probe [options] -- COMMAND [ARGS…]") }
if !masks.isEmpty { options.masking = MaskSet(secrets: masks) }
var environment = EnvironmentBlock()
do throws(CloakError) {
    environment = EnvironmentBlock.inheriting()
    for (name, value) in extra { try environment.set(name, value) }
} catch {
    fail(error.description, error.exitCode)
}
do throws(LaunchError) {
    let command = LaunchCommand(
        arguments: Array(args.dropFirst()),
        environment: environment,
        workingDirectory: cwd,
        descriptors: files.map(\.inheritedDescriptor)
    )
    let outcome: ExitOutcome
    switch forced ?? Launcher.strategy(for: options) {
    case .exec: try Launcher.exec(command, preExec: options.preLaunch)
    case .supervise:
        let result = try Launcher.superviseReporting(command, options: options)
        outcome = result.outcome
        if report {
            say("forwarded: \(result.forwarded.map(String.init).joined(separator: ","))", to: 2)
            say("not-forwarded: \(result.notForwarded.map(String.init).joined(separator: ","))", to: 2)
        }
    }
    if report { say("outcome: \(outcome)", to: 2) }
    outcome.terminateProcess()
} catch {
    say("launch-probe: \(error.description)", to: 2)
    exit(error.exitCode)
}
