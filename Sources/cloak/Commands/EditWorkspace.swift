import Core

#if canImport(Glibc)
import Glibc
#endif

/// The private directory that holds one `sops edit` plaintext copy, and the sweep of copies left by killed edits.
///
/// Each directory holds a `.lock` file that its edit keeps locked (flock) while it runs. A kill -9 or a crash skips
/// the wipe, but the kernel drops the lock with the process, so the next edit can tell an abandoned copy from one
/// that is in use — even when the old pid has been reused — and wipes it.
struct EditWorkspace {
    static let prefix = "cloak-edit-"
    static let lockName = ".lock"

    /// The 0700 directory for this edit.
    let directory: String
    private let lockDescriptor: Int32

    /// Sweeps abandoned copies, then makes and locks a fresh directory on the first usable base.
    static func create() throws(CloakError) -> EditWorkspace {
        let bases = candidateBases()
        for base in bases { sweepAbandoned(in: base) }
        for base in bases {
            var template = Array(Path.join(base, prefix + "XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { continue }
            let dir = String(cString: made)
            // Locked under another name, then renamed: a concurrent sweep never sees an unlocked `.lock` in a
            // directory that is about to be used.
            let pending = Path.join(dir, lockName + ".new")
            let fd = open(pending, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0, rename(pending, Path.join(dir, lockName)) == 0 else {
                if fd >= 0 { close(fd) }
                unlink(pending)
                rmdir(dir)
                continue
            }
            return EditWorkspace(directory: dir, lockDescriptor: fd)
        }
        throw CloakError(.io, "cannot create a private temporary directory for editing (tried \(bases.joined(separator: ", "))); set TMPDIR to a writable directory")
    }

    /// Drops the lock; call after the directory is gone.
    func release() {
        close(lockDescriptor)
    }

    /// Memory-backed storage first: a copy there never reaches a disk.
    static func candidateBases() -> [String] {
        let env = Environment.process
        var bases: [String] = []
        if FileSystem.isDirectory("/dev/shm") { bases.append("/dev/shm") }
        if let runtime = env.nonEmpty("XDG_RUNTIME_DIR") { bases.append(runtime) }
        bases.append(env.nonEmpty("TMPDIR") ?? "/tmp")
        return bases
    }

    /// Wipes and removes every edit directory under `base` that this user owns and no running edit holds.
    /// A directory without a lock file is left alone: it is either being created right now or not ours to judge.
    static func sweepAbandoned(in base: String) {
        for entry in FileSystem.list(base) where entry.hasPrefix(prefix) {
            let dir = Path.join(base, entry)
            var st = stat()
            guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == geteuid() else { continue }
            let fd = open(Path.join(dir, lockName), O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            wipeDirectory(dir)
            rmdir(dir)
        }
    }

    /// Overwrites and unlinks every regular file in `dir` (the copy, and the swap/backup files editors leave
    /// next to it — the directory is private, so everything in it is ours).
    static func wipeDirectory(_ dir: String) {
        for entry in FileSystem.list(dir) {
            let path = Path.join(dir, entry)
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFREG { PlaintextEditSession.wipeFile(path) } else { unlink(path) }
        }
    }
}
