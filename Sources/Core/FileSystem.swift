#if canImport(Glibc)
import Glibc
#endif

/// Minimal filesystem access over libc, so no module needs Foundation.
public enum FileSystem {
    /// Reads a whole file. Errors name the path and the reason.
    public static func readBytes(_ path: String) throws(CloakError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ioError("cannot read", path, errno) }
        defer { close(fd) }
        var st = stat()
        let expected = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) : 0
        // One buffer of the file's size (plus one byte to notice growth): no zero-filled scratch chunk per file.
        var capacity = max(expected + 1, 4096)
        guard var base = malloc(capacity) else { throw CloakError(.io, "cannot read \(path): out of memory") }
        defer { free(base) }
        var used = 0
        while true {
            if used == capacity {
                capacity *= 2
                guard let grown = realloc(base, capacity) else { throw CloakError(.io, "cannot read \(path): out of memory") }
                base = grown
            }
            let n = read(fd, base + used, capacity - used)
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read", path, errno)
            }
            if n == 0 { break }
            used += n
        }
        return Array(UnsafeRawBufferPointer(start: base, count: used))
    }

    /// Reads a whole file as UTF-8 text (invalid sequences are an error naming the file).
    public static func readText(_ path: String) throws(CloakError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CloakError(.config, "\(path): file is not valid UTF-8 text")
        }
        return text
    }

    /// Whether anything exists at `path` (following symlinks).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether `path` is a regular file (following symlinks).
    public static func isFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `path` is a directory (following symlinks).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Modification time in nanoseconds and size, or nil when the file does not exist.
    public static func fingerprint(_ path: String) -> (mtimeNanos: Int64, size: Int64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec), Int64(st.st_size))
    }

    /// Entries of a directory (names only, without `.` and `..`), sorted; empty when unreadable.
    public static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names.sorted()
    }

    /// Every regular file under `root`, as paths relative to `root`, sorted; hidden directories are skipped.
    public static func walk(_ root: String) -> [String] {
        var out: [String] = []
        func visit(_ relative: String) {
            let full = relative.isEmpty ? root : Path.join(root, relative)
            for name in list(full) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let path = Path.join(root, rel)
                if isDirectory(path) {
                    if name.hasPrefix(".") { continue }
                    visit(rel)
                } else if isFile(path) {
                    out.append(rel)
                }
            }
        }
        visit("")
        return out.sorted()
    }

    /// The process's working directory.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(cString: buffer)
    }

    /// Resolves symlinks; nil when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Creates a directory and its parents with `mode`.
    public static func createDirectories(_ path: String, mode: UInt32 = 0o755) throws(CloakError) {
        if isDirectory(path) { return }
        let parent = Path.dirname(path)
        if parent != path && !parent.isEmpty && parent != "." { try createDirectories(parent, mode: mode) }
        if mkdir(path, mode_t(mode)) != 0 && errno != EEXIST { throw ioError("cannot create directory", path, errno) }
    }

    /// A `CloakError(.io)` naming the operation, the path and the OS reason.
    public static func ioError(_ what: String, _ path: String, _ code: Int32) -> CloakError {
        let reason = String(cString: strerror(code))
        return CloakError(code == ENOENT ? .notFound : .io, "\(what) \(path): \(reason)")
    }
}
