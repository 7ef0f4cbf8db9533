import Core
import Injector
import Sandbox
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What each profile does to a child started by launch-probe, seen from the child's side.
@Suite struct ProfileEnforcementTests {
    /// launch-probe supervising `launch-probe try OPS…`, hardened with `profile` (nil: no hook).
    private func tryUnder(_ profile: String?, _ operations: [String], exec: Bool = false) throws -> [String: String] {
        var arguments = [probe, "--ptracer-any", exec ? "--exec" : "--supervise"]
        if let profile { arguments += ["--harden", profile] }
        let p = try ProbeProcess.run(arguments + ["--", probe, "try"] + operations)
        #expect(p.outcome == .exited(0), "\(p.errors)")
        return p.results
    }

    @Test func defaultDeniesInspectingTheParentAndMemoryAccess() throws {
        var operations = ["seccomp-mode", "ptrace-attach", "parent", "process-vm-readv", "parent"]
        operations += ["process-vm-readv", "self", "x32-getpid"]
        #if arch(x86_64)
            operations += ["compat-ptrace-attach", "parent"]
        #endif
        let hardened = try tryUnder("default", operations)
        #expect(hardened["seccomp-mode"] == "2")
        #expect(hardened["ptrace-attach parent"] == "EPERM")
        #expect(hardened["process-vm-readv parent"] == "EPERM")
        #expect(hardened["process-vm-readv self"] == "EPERM")
        #if arch(x86_64)
            #expect(hardened["x32-getpid"] == "EPERM")  // x32 ABI: bad-architecture action
            #expect(hardened["compat-ptrace-attach parent"] == "EPERM")  // i386 entry: same rules
        #endif

        // Control: the same calls without --harden.
        let plain = try tryUnder(nil, operations)
        #expect(plain["seccomp-mode"] == "0")
        #expect(plain["process-vm-readv self"] == "ok")
        #expect(plain["process-vm-readv parent"] != "EPERM")
        #expect(plain["ptrace-attach parent"] != "EPERM")
        #expect(plain["x32-getpid"] != "EPERM")
        #if arch(x86_64)
            #expect(plain["compat-ptrace-attach parent"] != "EPERM")
        #endif
    }

    @Test func execModeFiltersCloakItselfBeforeExecve() throws {
        let hardened = try tryUnder("default", ["seccomp-mode", "process-vm-readv", "self"], exec: true)
        #expect(hardened["seccomp-mode"] == "2")
        #expect(hardened["process-vm-readv self"] == "EPERM")
        let plain = try tryUnder(nil, ["seccomp-mode", "process-vm-readv", "self"], exec: true)
        #expect(plain["seccomp-mode"] == "0")
        #expect(plain["process-vm-readv self"] == "ok")
    }

    @Test func logModeLetsTheCallsThrough() throws {
        let logged = try tryUnder("log", ["seccomp-mode", "process-vm-readv", "self", "ptrace-attach", "parent"])
        #expect(logged["seccomp-mode"] == "2")  // a filter is installed…
        #expect(logged["process-vm-readv self"] == "ok")  // …and only logs
        #expect(logged["ptrace-attach parent"] != "EPERM")
        let strictLogged = try tryUnder("strict-log", ["unshare-user", "io-uring-setup"])
        if !SanitizerRun.processIsMultithreaded { #expect(strictLogged["unshare-user"] == "ok") }
        #expect(strictLogged["io-uring-setup"] == "ok")
    }

    @Test func strictDeniesUserNamespacesIoUringAndPersonalityChanges() throws {
        let operations = [
            "unshare-user", "clone-user", "io-uring-setup", "personality", "0x0040000", "personality", "0xffffffff",
            "personality", "0",
        ]
        let strict = try tryUnder("strict", operations)
        #expect(strict["unshare-user"] == "EPERM")
        #expect(strict["clone-user"] == "EPERM")
        #expect(strict["io-uring-setup"] == "EPERM")
        #expect(strict["personality 0x0040000"] == "EPERM")  // ADDR_NO_RANDOMIZE
        #expect(strict["personality 0xffffffff"] == "ok")  // query
        #expect(strict["personality 0"] == "ok")  // PER_LINUX

        // Control: the default profile leaves all of these alone.
        let relaxed = try tryUnder("default", operations)
        if !SanitizerRun.processIsMultithreaded { #expect(relaxed["unshare-user"] == "ok") }
        #expect(relaxed["clone-user"] == "ok")
        #expect(relaxed["io-uring-setup"] == "ok")
        #expect(relaxed["personality 0x0040000"] == "ok")
    }

    static let tools: [[String]] = [
        ["bash", "-c", "true"], ["python3", "-c", "pass"], ["git", "--version"], ["curl", "--version"],
    ]

    @Test(arguments: tools)
    func realToolsRunUnderDefaultAndStrict(_ tool: [String]) throws {
        guard which(tool[0]) != nil else {
            print("skipped: \(tool[0]) is not installed")
            return
        }
        for profile in ["default", "strict"] {
            let p = try ProbeProcess.run([probe, "--supervise", "--harden", profile, "--"] + tool)
            #expect(p.outcome == .exited(0), "\(tool[0]) under \(profile): \(p.errors)")
        }
    }
}
