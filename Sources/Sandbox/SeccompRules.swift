#if canImport(Glibc)
    import Glibc
#endif

/// One comparison on a syscall argument. libseccomp ANDs the comparisons of a rule and allows at most one per
/// argument.
struct ArgumentTest: Sendable, Hashable {
    /// Argument index, 0…5.
    var argument: UInt32
    /// Matches when `(value & mask) == expected`.
    var mask: UInt64
    var expected: UInt64
}

/// A syscall the profile singles out, optionally only for some argument values.
struct SyscallRule: Sendable, Hashable {
    var name: String
    var tests: [ArgumentTest] = []
    /// The errno a denied call gets.
    var errno: Int32 = EPERM
}

/// The rule tables behind each `SeccompProfile.Level`.
enum SeccompRules {
    /// Calls that let a child reach into other processes or the kernel. Names unknown on an architecture are
    /// skipped for it (`umount`, `vm86` exist only on i386; `iopl` only on x86).
    static let defaultDenied: [String] = [
        // Reading or steering other processes (cloak, siblings) of the same user.
        "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp", "process_madvise",
        // Kernel code and kernel-side programs.
        "perf_event_open", "bpf", "userfaultfd",
        "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
        // Mounts, old and new API.
        "mount", "umount", "umount2", "pivot_root",
        "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
        // Machine-wide state.
        "swapon", "swapoff", "reboot", "acct", "iopl", "ioperm", "vm86", "vm86old",
        "open_by_handle_at",
        // Kernel keyrings (another process's session keyring secrets).
        "add_key", "request_key", "keyctl",
    ]

    /// What `strict` adds on top of `defaultDenied`.
    static let strictDenied: [String] = ["io_uring_setup", "io_uring_enter", "io_uring_register", "setns"]

    /// CLONE_NEWUSER from <sched.h> (a macro the Swift Glibc module does not export without _GNU_SOURCE).
    static let cloneNewUser: UInt64 = 0x1000_0000

    /// The rules for `level`, in the order they are added.
    static func rules(for level: SeccompProfile.Level) -> [SyscallRule] {
        var rules = defaultDenied.map { SyscallRule(name: $0) }
        guard level == .strict else { return rules }
        rules += strictDenied.map { SyscallRule(name: $0) }
        // User namespaces: unshare/clone with CLONE_NEWUSER in the flags (argument 0 on x86 and arm).
        let newUser = ArgumentTest(argument: 0, mask: cloneNewUser, expected: cloneNewUser)
        rules.append(SyscallRule(name: "unshare", tests: [newUser]))
        rules.append(SyscallRule(name: "clone", tests: [newUser]))
        // clone3 passes its flags in memory, which seccomp cannot read. ENOSYS makes glibc fall back to clone,
        // whose flags it can (the approach of Docker's and systemd's filters).
        rules.append(SyscallRule(name: "clone3", errno: ENOSYS))
        rules += personalityRules()
        return rules
    }

    /// personality(2) is allowed only to query (0xffffffff) or to set PER_LINUX (0). The kernel reads the
    /// argument as a 32-bit `unsigned int`, so only the low 32 bits are compared. libseccomp allows one
    /// comparison per argument, so "neither all zeros nor all ones" is spelled as "some bit j ≥ 1 differs from
    /// bit 0": for each j, one rule for (bit 0 set, bit j clear) and one for (bit 0 clear, bit j set). The
    /// filter only walks these for personality calls.
    static func personalityRules() -> [SyscallRule] {
        var rules: [SyscallRule] = []
        for bit in 1..<32 {
            let mask: UInt64 = 1 | (1 << UInt64(bit))
            rules.append(SyscallRule(name: "personality", tests: [ArgumentTest(argument: 0, mask: mask, expected: 1)]))
            rules.append(
                SyscallRule(
                    name: "personality",
                    tests: [ArgumentTest(argument: 0, mask: mask, expected: 1 << UInt64(bit))]
                )
            )
        }
        return rules
    }
}
