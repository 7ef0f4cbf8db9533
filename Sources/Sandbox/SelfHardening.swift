import CCloakLinux
public import Core

#if canImport(Glibc)
    import Glibc
#endif

extension Sandbox {
    /// Hygiene for the cloak process itself; call once at start-up, before any secret is read.
    ///
    /// 1. `PR_SET_DUMPABLE 0`: /proc/<cloak>/mem, environ, maps… become root-owned and `ptrace` attach is
    ///    refused, so a same-user process (a child included) cannot read cloak's memory. Reset by `execve`, so
    ///    in exec mode the command itself is dumpable as usual.
    /// 2. Soft `RLIMIT_CORE` 0: a crash of cloak writes no core file. The hard limit is kept, so a child (which
    ///    inherits the soft 0) can still opt back in with `ulimit -c`.
    public static func hardenSelf() throws(CloakError) {
        var rc = ccloak_set_dumpable(0)
        if rc != 0 { throw CloakError(.internal, "prctl(PR_SET_DUMPABLE, 0): \(String(cString: strerror(rc)))") }
        rc = ccloak_set_core_soft_limit_zero()
        if rc != 0 { throw CloakError(.internal, "setrlimit(RLIMIT_CORE): \(String(cString: strerror(rc)))") }
    }

    /// Whether this process is dumpable (1) or not (0), as `PR_GET_DUMPABLE` reports it.
    public static func isDumpable() -> Bool {
        ccloak_get_dumpable() != 0
    }
}
