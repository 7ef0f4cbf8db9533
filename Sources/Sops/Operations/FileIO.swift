import Glibc
public import Core

/// Plain file reads with `CloakError`s that name the file.
public enum FileIO {
    /// Reads a whole file.
    public static func read(_ path: String) throws(CloakError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw CloakError(.notFound, "\(path): file not found") }
            throw CloakError(.io, "\(path): cannot open: \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CloakError(.io, "\(path): read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    /// Whether a path exists.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
