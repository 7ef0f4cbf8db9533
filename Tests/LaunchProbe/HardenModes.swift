// Sandbox helpers for launch-probe (see main.swift's header for the command lines).
import CCloakLinux
import Core
import Injector
import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// Flags that act on launch-probe itself before anything else: `--harden-self`, `--core-unlimited`,
/// `--ptracer-any`, `--memlock-zero`.
func applyProcessFlags(_ args: inout [String]) {
    while let flag = args.first {
        switch flag {
        case "--harden-self":
            do throws(CloakError) { try Sandbox.hardenSelf() } catch { fail(error.description) }
        case "--core-unlimited":
            if ccloak_raise_core_limit() != 0 { fail("cannot raise RLIMIT_CORE") }
        case "--ptracer-any":
            _ = ccloak_set_ptracer_any()  // EINVAL without Yama: nothing to relax then
        case "--memlock-zero":
            if ccloak_set_memlock_limit(0) != 0 { fail("cannot lower RLIMIT_MEMLOCK") }
        default: return
        }
        args.removeFirst()
    }
}

/// `hold`: print "ready PID dumpable=D", then wait for a signal (the test kills us and looks for a core file).
func hold() -> Never {
    say("ready \(getpid()) dumpable=\(Sandbox.isDumpable() ? 1 : 0)")
    while true { pause() }
}

/// `memlock-status`: what the CLI would learn from `Sandbox.memoryLockStatus()`, then prove guarded memory still
/// works by building a secret and an envp from it.
func memlockStatus() -> Never {
    let status = Sandbox.memoryLockStatus()
    say("can-lock: \(status.canLock)")
    say("soft-limit: \(status.softLimit.map(String.init) ?? "unlimited")")
    if let warning = status.warning { say(warning) }
    var block = EnvironmentBlock()
    do throws(CloakError) { try block.set("CLOAK_PROBE", secret: secret("guarded-value")) } catch {
        fail(error.description)
    }
    let first = block.withUnsafeEnvp { envp in envp[0].map { String(cString: $0) } ?? "" }
    say("envp: \(first == "CLOAK_PROBE=guarded-value" ? "ok" : "wrong")")
    exit(0)
}

/// `seccomp-pfc PROFILE`: libseccomp's pseudo code for the profile, plus its size.
func seccompPseudoCode(_ arguments: [String]) -> Never {
    do throws(CloakError) {
        let profile = try SeccompProfile(name: arguments.first ?? "default")
        let filter = try SeccompFilter(profile)
        say(try SeccompFilter.pseudoCode(profile))
        say("# \(filter.instructionCount) BPF instructions; skipped: \(filter.skippedSyscalls.joined(separator: " "))")
    } catch {
        fail(error.description)
    }
    exit(0)
}

/// `syscall-loop N`: N getppid calls; prints nanoseconds per call.
func syscallLoop(_ arguments: [String]) -> Never {
    let count = arguments.first.flatMap { Int($0) } ?? 1_000_000
    let start = now()
    for _ in 0..<count { _ = getppid() }
    say("ns-per-syscall: \(Int((now() - start) * 1e9 / Double(count)))")
    exit(0)
}
