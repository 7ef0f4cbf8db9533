// `launch-probe try OP [TARGET] …`: make one guarded call per OP and print "OP TARGET: ok" or ": ENAME".
// TARGET is `parent`, `self` or a pid. Used by SandboxTests to see from the outside what a filter lets through.
import CCloakLinux

#if canImport(Glibc)
    import Glibc
#endif

func errnoName(_ code: Int32) -> String {
    let names: [Int32: String] = [
        EPERM: "EPERM", EACCES: "EACCES", ENOSYS: "ENOSYS", EINVAL: "EINVAL", ESRCH: "ESRCH", EFAULT: "EFAULT",
        EIO: "EIO", ENOENT: "ENOENT", ENOMEM: "ENOMEM", EBUSY: "EBUSY",
    ]
    return code == 0 ? "ok" : names[code] ?? "errno \(code)"
}

func resolveTarget(_ text: String) -> pid_t {
    switch text {
    case "parent": return getppid()
    case "self": return getpid()
    default:
        guard let pid = pid_t(text) else { fail("bad target \(text)") }
        return pid
    }
}

/// A readable address in `pid`: its first mapping when /proc/PID/maps is readable, else one of ours (same
/// binary; only the access check matters for the EPERM cases).
func someAddress(in pid: pid_t) -> UInt {
    if pid == getpid() { return ccloak_probe_self_address() }
    let fd = open("/proc/\(pid)/maps", O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0, let dash = buffer[0..<n].firstIndex(of: UInt8(ascii: "-")),
            let start = UInt(String(decoding: buffer[0..<dash], as: UTF8.self), radix: 16)
        {
            return start
        }
    }
    return ccloak_probe_self_address()
}

func trySyscalls(_ arguments: [String]) -> Never {
    var rest = arguments[...]
    func operand(_ op: String) -> String {
        guard let value = rest.popFirst() else { fail("\(op) needs an operand") }
        return value
    }
    while let op = rest.popFirst() {
        let code: Int32
        var label = op
        switch op {
        case "ptrace-attach", "compat-ptrace-attach", "process-vm-readv":
            let target = operand(op)
            label += " \(target)"
            let pid = resolveTarget(target)
            switch op {
            case "ptrace-attach": code = ccloak_probe_ptrace_attach(pid)
            case "compat-ptrace-attach": code = ccloak_probe_compat_ptrace_attach(pid)
            default: code = ccloak_probe_process_vm_readv(pid, someAddress(in: pid), 16)
            }
        case "read-file":
            let path = operand(op).replacing("PPID", with: String(getppid()))
            label += " \(path)"
            code = ccloak_probe_read_file(path)
        case "personality":
            let text = operand(op)
            guard let value = UInt(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16) else {
                fail("personality needs a hex value")
            }
            label += " \(text)"
            code = ccloak_probe_personality(value)
        case "unshare-user": code = ccloak_probe_unshare_user()
        case "clone-user": code = ccloak_probe_clone_user()
        case "io-uring-setup": code = ccloak_probe_io_uring_setup()
        case "x32-getpid": code = ccloak_probe_x32_getpid()
        case "seccomp-mode":
            say("seccomp-mode: \(ccloak_seccomp_mode())")
            continue
        default: fail("unknown try operation \(op)")
        }
        say("\(label): \(errnoName(code))")
    }
    exit(0)
}
