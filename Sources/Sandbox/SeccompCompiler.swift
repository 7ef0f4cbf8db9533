import CCloakLinux
import CSeccomp
import Core

#if canImport(Glibc)
    import Glibc
#endif

/// Builds a profile with libseccomp and exports it as classic BPF.
enum SeccompCompiler {
    struct Output {
        /// The `struct sock_filter` array, as bytes.
        var instructions: [UInt8]
        var skipped: [String]
    }

    static func compile(_ profile: SeccompProfile) throws(CloakError) -> Output {
        try compile(SeccompRules.rules(for: profile.level), action: profile.action)
    }

    static func compile(_ rules: [SyscallRule], action: SeccompProfile.Action) throws(CloakError) -> Output {
        let (context, skipped) = try build(rules, action: action)
        defer { seccomp_release(context) }
        let bytes = try export(context, what: "BPF") { seccomp_export_bpf(context, $0) }
        guard !bytes.isEmpty, bytes.count % 8 == 0, bytes.count / 8 <= 4096 else {
            throw CloakError(.internal, "seccomp: exported filter has an invalid size (\(bytes.count) bytes)")
        }
        return Output(instructions: bytes, skipped: skipped)
    }

    static func pseudoCode(_ profile: SeccompProfile) throws(CloakError) -> String {
        let (context, _) = try build(SeccompRules.rules(for: profile.level), action: profile.action)
        defer { seccomp_release(context) }
        let bytes = try export(context, what: "pseudo code") { seccomp_export_pfc(context, $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The architectures besides the native one that the filter covers: the 32-bit compat ABI the kernel
    /// accepts from the same process (int $0x80 on x86_64, AArch32 on aarch64). Covered rather than blocked so
    /// 32-bit programs still run, under the same rules. Anything else, including x86_64's x32 ABI (syscall
    /// numbers with bit 30 set), takes the bad-architecture action: EPERM (or LOG in log mode).
    static func compatArchitectures(native: UInt32) -> [String] {
        if native == seccomp_arch_resolve_name("x86_64") { return ["x86"] }
        if native == seccomp_arch_resolve_name("aarch64") { return ["arm"] }
        return []
    }

    private static func build(_ rules: [SyscallRule], action mode: SeccompProfile.Action) throws(CloakError)
        -> (scmp_filter_ctx, [String])
    {
        guard let context = seccomp_init(SCMP_ACT_ALLOW) else {
            throw CloakError(.internal, "seccomp: cannot create a filter context")
        }
        var ok = false
        defer { if !ok { seccomp_release(context) } }

        let action: UInt32 =
            switch mode {
            case .deny: cseccomp_act_errno(UInt16(EPERM))
            case .log: SCMP_ACT_LOG
            }
        try check(seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, action), "set the bad-architecture action")
        // A binary tree over syscall numbers: every allowed call pays O(log n) comparisons, not O(n). Older
        // libseccomp lacks the attribute; a linear filter is only slower.
        _ = seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2)

        for name in compatArchitectures(native: seccomp_arch_native()) {
            let arch = seccomp_arch_resolve_name(name)
            guard arch != 0 else { continue }
            let rc = seccomp_arch_add(context, arch)
            // Not added: that ABI then takes the bad-architecture action, which is the safe direction.
            if rc != 0 && rc != -EEXIST { continue }
        }

        var skipped: [String] = []
        for rule in rules {
            let number = seccomp_syscall_resolve_name(rule.name)
            if number == __NR_SCMP_ERROR {
                if !skipped.contains(rule.name) { skipped.append(rule.name) }
                continue
            }
            let ruleAction: UInt32 =
                switch mode {
                case .deny: cseccomp_act_errno(UInt16(rule.errno))
                case .log: SCMP_ACT_LOG
                }
            var comparisons = rule.tests.map { test in
                scmp_arg_cmp(arg: test.argument, op: SCMP_CMP_MASKED_EQ, datum_a: test.mask, datum_b: test.expected)
            }
            let rc = comparisons.withUnsafeMutableBufferPointer { buffer in
                seccomp_rule_add_array(context, ruleAction, number, UInt32(buffer.count), buffer.baseAddress)
            }
            // -EDOM: a pseudo-syscall with no number on any architecture in the filter.
            if rc == -EDOM {
                if !skipped.contains(rule.name) { skipped.append(rule.name) }
                continue
            }
            try check(rc, "add the rule for \(rule.name)")
        }
        ok = true
        return (context, skipped)
    }

    private static func check(_ rc: Int32, _ what: String) throws(CloakError) {
        if rc != 0 { throw CloakError(.internal, "seccomp: cannot \(what): \(String(cString: strerror(-rc)))") }
    }

    /// Runs an exporter that writes to a descriptor (libseccomp 2.5 has no in-memory export) into a memfd and
    /// reads the result back.
    private static func export(_ context: scmp_filter_ctx, what: String, _ write: (Int32) -> Int32)
        throws(CloakError) -> [UInt8]
    {
        let fd = ccloak_memfd_create("cloak-seccomp", ccloak_mfd_cloexec())
        if fd < 0 { throw CloakError(.internal, "seccomp: memfd_create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try check(write(fd), "export the filter as \(what)")
        let size = lseek(fd, 0, SEEK_END)
        if size < 0 { throw CloakError(.internal, "seccomp: lseek: \(String(cString: strerror(errno)))") }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(fd, base + done, buffer.count - done, off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw CloakError(.internal, "seccomp: cannot read back the exported filter") }
            done += n
        }
        return bytes
    }
}
