import Core
import Testing

@testable import Sandbox

@Suite struct SeccompProfileTests {
    @Test(arguments: SeccompProfile.names)
    func everyAdvertisedNameParsesAndRoundTrips(_ name: String) throws {
        let profile = try SeccompProfile(name: name)
        #expect(profile.description == name)
    }

    @Test func unknownNameIsAUsageErrorNamingTheChoices() {
        #expect(throws: CloakError.self) { try SeccompProfile(name: "paranoid") }
        do {
            _ = try SeccompProfile(name: "paranoid")
        } catch {
            #expect(error.code == .usage)
            #expect(error.description.contains("paranoid"))
            #expect(error.description.contains("strict"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: [SeccompProfile.default, .strict, .log, .strictLog])
    func compilesToAValidProgram(_ profile: SeccompProfile) throws {
        let filter = try SeccompFilter(profile)
        #expect(filter.instructionCount > 10)
        #expect(filter.instructionCount <= 4096)
        #expect(filter.profile == profile)
    }

    @Test func defaultNamesEveryRequiredSyscall() throws {
        let code = try SeccompFilter.pseudoCode(.default)
        let required = [
            "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp", "perf_event_open", "bpf",
            "userfaultfd", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "mount",
            "umount2", "pivot_root", "swapon", "swapoff", "reboot", "acct", "add_key", "request_key", "keyctl",
        ]
        for name in required { #expect(code.contains("\"\(name)\""), "missing \(name)") }
        #expect(code.contains("action ERRNO(1)"))
        #expect(!code.contains("io_uring_setup"))
    }

    @Test func strictAddsIoUringNamespacesAndPersonality() throws {
        let code = try SeccompFilter.pseudoCode(.strict)
        let added = ["io_uring_setup", "io_uring_enter", "io_uring_register", "setns", "unshare", "clone", "personality"]
        for name in added {
            #expect(code.contains("\"\(name)\""), "missing \(name)")
        }
        #expect(code.contains("ERRNO(38)"))  // clone3 → ENOSYS
    }

    @Test func logModeLogsInsteadOfDenying() throws {
        let code = try SeccompFilter.pseudoCode(.log)
        #expect(code.contains("action LOG"))
        #expect(!code.contains("ERRNO"))
    }

    @Test func compatArchitectureIsCoveredAndTheRestIsDenied() throws {
        let code = try SeccompFilter.pseudoCode(.default)
        #if arch(x86_64)
            #expect(code.contains("filter for arch x86_64"))
            #expect(code.contains("filter for arch x86 "))
        #elseif arch(arm64)
            #expect(code.contains("filter for arch aarch64"))
        #endif
        #expect(code.contains("# invalid architecture action\naction ERRNO(1);"))
    }

    @Test func unknownSyscallsAreSkippedNotErrors() throws {
        let rules = [SyscallRule(name: "ptrace"), SyscallRule(name: "cloak_no_such_syscall")]
        let output = try SeccompCompiler.compile(rules, action: .deny)
        #expect(output.skipped == ["cloak_no_such_syscall"])
        #expect(output.instructions.count % 8 == 0)
    }

    @Test func personalityCoverAllowsExactlyQueryAndPerLinux() {
        // Evaluate the rules as the kernel would on the low 32 bits.
        let rules = SeccompRules.personalityRules()
        func denied(_ value: UInt64) -> Bool {
            rules.contains { rule in rule.tests.allSatisfy { (value & $0.mask) == $0.expected } }
        }
        #expect(!denied(0))
        #expect(!denied(0xffff_ffff))
        #expect(!denied(0xffff_ffff_ffff_ffff))  // upper half ignored, like the kernel's unsigned int
        for value: UInt64 in [1, 8, 0x0040000, 0x0400000, 0x8000_0000, 0xffff_fffe, 0x7fff_ffff, 0x1_0000_0008] {
            #expect(denied(value), "0x\(String(value, radix: 16)) should be denied")
        }
    }
}
