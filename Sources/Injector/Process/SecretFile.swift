import CCloakLinux
public import Core

#if canImport(Glibc)
    import Glibc
#endif

/// A secret the child reads as a file without anything touching a disk: a sealed memfd handed to the child at a
/// fixed descriptor number, named `/dev/fd/N`. It disappears with the last process holding it, even on SIGKILL.
public final class SecretFile: @unchecked Sendable {
    /// cloak's descriptor (close-on-exec; the launcher dup2's it to `target` in the child only).
    public let descriptor: Int32
    /// The descriptor number the child sees.
    public let target: Int32

    /// Writes `contents` into a new memfd and seals it against writes, growing and shrinking.
    public init(contents: SecretBytes, target: Int32, name: String = "cloak-secret") throws(CloakError) {
        guard target >= 3 else { throw CloakError(.usage, "secret file descriptor must be 3 or more, not \(target)") }
        let fd = ccloak_memfd_create(name, ccloak_mfd_sealable())
        if fd < 0 { throw CloakError(.io, "cannot create memory file \(name): \(String(cString: strerror(errno)))") }
        descriptor = fd
        self.target = target
        let failure: Int32 = contents.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
        if failure != 0 {
            throw CloakError(.io, "cannot write memory file \(name): \(String(cString: strerror(failure)))")
        }
        let sealRC = ccloak_memfd_seal(fd)
        // Kernels without sealing still give a private, diskless file; only the write protection is missing.
        if sealRC != 0 && sealRC != EINVAL {
            throw CloakError(.io, "cannot seal memory file \(name): \(String(cString: strerror(sealRC)))")
        }
        lseek(fd, 0, SEEK_SET)
    }

    deinit { close(descriptor) }

    /// What the environment variable should hold: `/dev/fd/N`.
    public var path: String { "/dev/fd/\(target)" }

    /// The mapping to put in `LaunchCommand.descriptors`.
    public var inheritedDescriptor: InheritedDescriptor { InheritedDescriptor(source: descriptor, target: target) }

    /// Whether the write seals are in place.
    public var isSealed: Bool { ccloak_memfd_is_sealed(descriptor) != 0 }
}
