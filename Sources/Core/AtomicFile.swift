import Glibc
import Synchronization

/// Crash-safe file replacement: write a temporary file `.NAME.tmp-PID-RANDOM` in the same directory (O_EXCL,
/// private mode), fsync it, rename it over the target, fsync the directory. `update` also holds an exclusive `flock`
/// on the containing directory across read-modify-write, so concurrent writers (threads or processes) never lose an
/// update — and no lock file is left in the user's repository. A writer killed before its rename leaves its
/// temporary file behind; the next `update` of the same target removes those whose writer process is gone.
public enum AtomicFile {
    private static let busyNotice = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// Sets what is called (with the directory) when a writer has to wait for another one's lock, so the program can
    /// tell its user why it pauses (an open `sops edit` holds its directory until the editor exits).
    public static func onBusy(_ notice: @escaping @Sendable (String) -> Void) {
        busyNotice.withLock { $0 = notice }
    }

    /// Atomically replaces (or creates) `path` with `bytes`, file mode `mode`; missing parent directories are created
    /// with mode 0755.
    public static func write(path: String, bytes: [UInt8], mode: UInt32 = 0o600) throws(CloakError) {
        let (dir, name) = split(path)
        try makeDirectories(dir)
        try replace(dir: dir, name: name, path: path, bytes: bytes, mode: mode)
    }

    /// Reads `path` (nil when missing), lets `transform` compute the new content, and writes it atomically, all
    /// under an exclusive lock. The lock is released on return or throw. When another writer holds the lock for
    /// more than a second, the `onBusy` notice is given (once, with the directory).
    public static func update(
        path: String, mode: UInt32 = 0o600, transform: ([UInt8]?) throws(CloakError) -> [UInt8]
    ) throws(CloakError) {
        let (dir, name) = split(path)
        try makeDirectories(dir)
        // The target itself cannot carry the lock: rename replaces its inode, so a second writer could lock the old
        // one. The directory's inode is stable, and flock works on a directory descriptor on Linux.
        let lockFD = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lockFD >= 0 else { throw posixError("cannot open directory for locking", dir) }
        defer { close(lockFD) }
        try lock(lockFD, dir: dir)
        defer { _ = flock(lockFD, LOCK_UN) }
        sweepStaleTemporaries(dir: dir, name: name)
        let existing = try readIfExists(path)
        let newBytes = try transform(existing)
        try replace(dir: dir, name: name, path: path, bytes: newBytes, mode: mode)
    }

    /// Takes the exclusive lock. Writers usually wait milliseconds for each other; only a wait past a second (an
    /// open editor, a hung writer) is worth telling the user about, once.
    private static func lock(_ fd: Int32, dir: String) throws(CloakError) {
        for _ in 0..<100 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
            guard errno == EWOULDBLOCK || errno == EINTR else { throw posixError("cannot lock", dir) }
            usleep(10_000)
        }
        busyNotice.withLock { $0 }?(dir)
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw posixError("cannot lock", dir) }
        }
    }

    /// The file's bytes, or nil when it does not exist.
    public static func readIfExists(_ path: String) throws(CloakError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw posixError("cannot open", path)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError("cannot read", path)
            }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    private static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    private static func makeDirectories(_ dir: String) throws(CloakError) {
        var current = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw posixError("cannot create directory", current)
            }
        }
    }

    private static func replace(dir: String, name: String, path: String, bytes: [UInt8], mode: UInt32) throws(CloakError) {
        let tmp = dir + "/" + temporaryPrefix(name) + String(getpid()) + "-" + Hex.encode(SecretBytes.randomPublic(count: 8))
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw posixError("cannot create temporary file", tmp) }
        var ok = fchmod(fd, mode) == 0
        var off = 0
        while ok && off < bytes.count {
            let n = bytes.withUnsafeBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return Glibc.write(fd, base + off, buf.count - off)
            }
            if n < 0 {
                if errno == EINTR { continue }
                ok = false
            } else {
                off += n
            }
        }
        ok = ok && fsync(fd) == 0
        if !ok {
            let e = errno
            // Never leave a partial copy of the content behind.
            _ = ftruncate(fd, 0)
            close(fd)
            unlink(tmp)
            throw CloakError(.io, "\(path): cannot write: \(String(cString: strerror(e)))")
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw CloakError(.io, "\(path): cannot replace: \(String(cString: strerror(e)))")
        }
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    /// `.NAME.tmp-`: every temporary sibling of `name` starts with it, followed by the writer's pid and `-`.
    static func temporaryPrefix(_ name: String) -> String { "." + name + ".tmp-" }

    /// Removes temporary siblings of `name` whose writer process no longer exists. Called with the directory lock
    /// held, so no other `update` is between creating and renaming its temporary file; `write` does not lock, but
    /// its own process is alive while it writes, and only files of dead processes are removed.
    static func sweepStaleTemporaries(dir: String, name: String) {
        let prefix = temporaryPrefix(name)
        for entry in FileSystem.list(dir) where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            // Names without a pid (written before pids were recorded) are left alone: their writer is unknown.
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
            // EPERM means alive under another user; only ESRCH proves the writer is gone.
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + entry) }
        }
    }

    private static func posixError(_ what: String, _ path: String) -> CloakError {
        let e = errno
        return CloakError(.io, "\(path): \(what): \(String(cString: strerror(e)))")
    }
}
