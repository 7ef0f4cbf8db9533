import CCloakLinux
public import Core

#if canImport(Glibc)
    import Glibc
#endif

/// A seccomp profile compiled once to a classic-BPF program, ready to install on a thread.
///
/// Compiling uses libseccomp and allocates; installing is two `prctl` calls on a buffer built here, so it can run
/// on the spawn thread right before `posix_spawn`, or right before `execve`, without allocating.
public final class SeccompFilter: @unchecked Sendable {
    // @unchecked: `program` is written once in init and only read afterwards.

    /// The profile this program implements.
    public let profile: SeccompProfile
    /// Number of BPF instructions (8 bytes each).
    public let instructionCount: Int
    /// Rule names that no architecture in the filter knows (skipped, not errors).
    public let skippedSyscalls: [String]
    private let program: UnsafeMutableRawPointer

    /// Compiles `profile` for the running architecture (plus its 32-bit compat architecture).
    public init(_ profile: SeccompProfile) throws(CloakError) {
        let compiled = try SeccompCompiler.compile(profile)
        self.profile = profile
        self.instructionCount = compiled.instructions.count / 8
        self.skippedSyscalls = compiled.skipped
        program = UnsafeMutableRawPointer.allocate(byteCount: max(compiled.instructions.count, 8), alignment: 8)
        compiled.instructions.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { program.copyMemory(from: base, byteCount: bytes.count) }
        }
    }

    deinit { program.deallocate() }

    /// Sets no_new_privs and installs the filter on the calling thread only (no TSYNC): the thread and every
    /// process it starts from now on are filtered; the process's other threads are not. Cannot be undone.
    public func install() throws(CloakError) {
        let rc = ccloak_seccomp_install(program, UInt16(instructionCount))
        if rc != 0 {
            throw CloakError(.spawn, "cannot install the '\(profile)' seccomp filter: \(String(cString: strerror(rc)))")
        }
    }

    /// libseccomp's human-readable rendering of the same filter (for `--harden` diagnostics and docs).
    public static func pseudoCode(_ profile: SeccompProfile) throws(CloakError) -> String {
        try SeccompCompiler.pseudoCode(profile)
    }
}
