import CCloakLinux
import Core
import Injector
import Sandbox
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `Sandbox.hardenSelf()` and the mlock report, each seen from outside the process that used them.
@Suite struct SelfHardeningTests {
    @Test func hardenedParentIsClosedToItsSameUserChild() throws {
        let operations = [
            "try", "read-file", "/proc/PPID/environ", "read-file", "/proc/PPID/mem", "ptrace-attach", "parent",
            "process-vm-readv", "parent",
        ]
        func run(_ flags: [String]) throws -> [String: String] {
            let p = try ProbeProcess.run(unprivileged([probe] + flags + ["--supervise", "--", probe] + operations))
            #expect(p.outcome == .exited(0), "\(p.errors)")
            return p.results.reduce(into: [:]) { table, entry in
                table[entry.key.replacing(/\/proc\/\d+\//, with: "/proc/PPID/")] = entry.value
            }
        }
        let hardened = try run(["--ptracer-any", "--harden-self"])
        #expect(["EACCES", "EPERM"].contains(hardened["read-file /proc/PPID/environ"]))
        #expect(["EACCES", "EPERM"].contains(hardened["read-file /proc/PPID/mem"]))
        #expect(hardened["ptrace-attach parent"] == "EPERM")
        #expect(hardened["process-vm-readv parent"] == "EPERM")

        // Control: the same child of an unhardened parent reads both files.
        let plain = try run(["--ptracer-any"])
        #expect(plain["read-file /proc/PPID/environ"] == "ok")
        #expect(plain["read-file /proc/PPID/mem"] == "ok")
        #expect(plain["ptrace-attach parent"] != "EPERM")
    }

    private static let corePattern = (try? FileSystem.readText("/proc/sys/kernel/core_pattern")) ?? ""

    private func coreFiles(_ dir: String) -> [String] {
        FileSystem.list(dir).filter { $0.hasPrefix("core") }
    }

    /// Soft RLIMIT_CORE of `pid` from /proc/PID/limits.
    private func coreLimit(_ pid: pid_t) throws -> String {
        let limits = try FileSystem.readText("/proc/\(pid)/limits")
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        return String(line.split(separator: " ", omittingEmptySubsequences: true)[4])
    }

    /// The Swift runtime's crash handler would catch the signal first and spend seconds symbolicating; the
    /// kernel's core dump decision is what is under test.
    private let noBacktracer = ["/usr/bin/env", "SWIFT_BACKTRACE=enable=no"]

    @Test(arguments: [SIGSEGV, SIGABRT])
    func hardenedProcessLeavesNoCoreFile(_ signo: Int32) throws {
        let dir = try makeTempDirectory()
        defer {
            for name in FileSystem.list(dir) { unlink("\(dir)/\(name)") }
            rmdir(dir)
        }
        // --core-unlimited first: hardenSelf must win over a user's `ulimit -c unlimited`.
        let hardened = try ProbeProcess(
            unprivileged(noBacktracer + [probe, "--core-unlimited", "--harden-self", "hold"]),
            workingDirectory: dir
        )
        #expect(hardened.waitForOutput("dumpable=0"))
        #expect(try coreLimit(hardened.pid) == "0")
        hardened.signal(signo)
        #expect(hardened.finish() == .signaled(signo, coreDumped: false))
        #expect(coreFiles(dir).isEmpty)

        // Control: the same process without hardenSelf does dump core (when the kernel writes cores at all).
        let plain = try ProbeProcess(
            unprivileged(noBacktracer + [probe, "--core-unlimited", "hold"]),
            workingDirectory: dir
        )
        #expect(plain.waitForOutput("dumpable=1"))
        #expect(try coreLimit(plain.pid) != "0")
        plain.signal(signo)
        let outcome = plain.finish()
        #expect(outcome == .signaled(signo, coreDumped: true))
        if !Self.corePattern.hasPrefix("|") && !Self.corePattern.hasPrefix("/") {
            #expect(!coreFiles(dir).isEmpty, "core_pattern \(Self.corePattern)")
        }
    }

    @Test(.disabled(if: SanitizerRun.mlockIsFaked, "the sanitizer's mlock always succeeds"))
    func lockedMemoryUnavailableIsReportedAndHarmless() throws {
        let limited = try ProbeProcess.run(unprivileged([probe, "--memlock-zero", "memlock-status"]))
        #expect(limited.outcome == .exited(0), "\(limited.errors)")
        #expect(limited.output.contains("can-lock: false"))
        #expect(limited.output.contains("soft-limit: 0\n"))
        #expect(limited.output.contains("warning: cannot lock memory"))
        #expect(limited.output.contains("envp: ok"))

        // Control: with the usual limit locking works and there is no warning.
        let usual = try ProbeProcess.run(unprivileged([probe, "memlock-status"]))
        #expect(usual.output.contains("can-lock: true"))
        #expect(!usual.output.contains("warning"))

        // A whole secret-carrying launch under `ulimit -l 0` (guarded envp, masking) still works.
        let launch = try ProbeProcess.run(
            unprivileged([
                probe, "--memlock-zero", "--secret-env", "CLOAK_T=s3cr3t-value", "--mask", "s3cr3t-value",
                "--supervise", "--pty", "never", "--", "/bin/sh", "-c", "echo got $CLOAK_T",
            ])
        )
        #expect(launch.outcome == .exited(0), "\(launch.errors)")
        #expect(launch.output.contains("got "))
        #expect(!launch.output.contains("s3cr3t-value"))
    }

    @Test func memoryLockStatusMatchesTheLimit() {
        let status = Sandbox.memoryLockStatus()
        var soft: UInt64 = 0
        var hard: UInt64 = 0
        #expect(ccloak_memlock_limit(&soft, &hard) == 0)
        #expect(status.softLimit == (soft == .max ? nil : soft))
        #expect((status.warning == nil) == status.canLock)
    }
}
