import CCloakLinux

/// Whether libsodium's guarded memory (`SecretBytes`) can be kept out of swap.
///
/// `sodium_malloc` tries `mlock` and, when that fails (`ulimit -l 0`, or the limit used up), still returns
/// working guarded memory; only the no-swap promise is lost. So a failure here is worth one warning, not an error.
public struct MemoryLockStatus: Sendable, Equatable {
    /// Soft `RLIMIT_MEMLOCK` in bytes; nil means unlimited.
    public var softLimit: UInt64?
    /// Hard `RLIMIT_MEMLOCK` in bytes; nil means unlimited.
    public var hardLimit: UInt64?
    /// 0 when locking one page worked just now (CAP_IPC_LOCK counts), else the errno `mlock` gave.
    public var probeError: Int32

    /// Locking works now.
    public var canLock: Bool { probeError == 0 }

    /// One line for the CLI to print when locking does not work, else nil.
    public var warning: String? {
        guard !canLock else { return nil }
        let limit = softLimit.map { "\($0 / 1024) KiB" } ?? "unlimited"
        return "warning: cannot lock memory (RLIMIT_MEMLOCK \(limit)): secrets in memory may be swapped to disk;"
            + " raise 'ulimit -l' to keep them in RAM"
    }
}

extension Sandbox {
    /// Reads `RLIMIT_MEMLOCK` and tries to lock one page.
    public static func memoryLockStatus() -> MemoryLockStatus {
        var soft: UInt64 = 0
        var hard: UInt64 = 0
        if ccloak_memlock_limit(&soft, &hard) != 0 {
            soft = 0
            hard = 0
        }
        return MemoryLockStatus(
            softLimit: soft == UInt64.max ? nil : soft,
            hardLimit: hard == UInt64.max ? nil : hard,
            probeError: ccloak_mlock_probe()
        )
    }
}
