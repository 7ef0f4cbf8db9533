import Core

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the program a command names, the way a shell would, on the child's own PATH.
enum ExecutableLookup {
    /// glibc's confstr(_CS_PATH), used by execvp when PATH is unset.
    static let defaultSearchPath = "/bin:/usr/bin"

    /// The path to exec for `name`: a name with a `/` is used as is (relative to `workingDirectory` when given);
    /// otherwise the first executable regular file on `searchPath`. Not found → 127; found only as something
    /// that cannot be executed → 126.
    static func resolve(_ name: String, searchPath: String?, workingDirectory: String?) throws(LaunchError) -> String {
        if name.isEmpty { throw LaunchError(.commandNotFound, CloakError(.spawn, "empty command name")) }
        if name.contains("/") {
            let path = anchored(name, workingDirectory)
            switch check(path) {
            case .executable: return path
            case .missing: throw notFound(name, reason: "No such file or directory")
            case .denied(let reason): throw LaunchError(.notExecutable, CloakError(.spawn, "\(name): \(reason)"))
            }
        }
        var deniedReason: String?
        var deniedPath: String?
        for entry in (searchPath ?? defaultSearchPath).split(separator: ":", omittingEmptySubsequences: false) {
            // An empty PATH entry means the working directory, as in every shell.
            let directory = entry.isEmpty ? "." : String(entry)
            let path = anchored(Path.join(directory, name), workingDirectory)
            switch check(path) {
            case .executable: return path
            case .missing: continue
            case .denied(let reason):
                if deniedReason == nil {
                    deniedReason = reason
                    deniedPath = path
                }
            }
        }
        if let deniedReason, let deniedPath {
            throw LaunchError(.notExecutable, CloakError(.spawn, "\(deniedPath): \(deniedReason)"))
        }
        throw notFound(name, reason: "command not found")
    }

    /// The error for a failed exec of an already resolved path: EACCES/ENOEXEC/EISDIR… → 126, ENOENT → 127.
    static func execFailure(_ path: String, errno code: Int32) -> LaunchError {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT, ENOTDIR: return LaunchError(.commandNotFound, CloakError(.spawn, "\(path): \(reason)"))
        case EACCES, ENOEXEC, EISDIR, EPERM, ETXTBSY, ELIBBAD:
            return LaunchError(.notExecutable, CloakError(.spawn, "\(path): \(reason)"))
        default: return .spawn("cannot run \(path): \(reason)")
        }
    }

    private enum Check {
        case executable
        case missing
        case denied(String)
    }

    private static func check(_ path: String) -> Check {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return errno == EACCES ? .denied(String(cString: strerror(EACCES))) : .missing
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return .denied("Is a directory") }
        if access(path, X_OK) != 0 { return .denied(String(cString: strerror(errno))) }
        return .executable
    }

    private static func anchored(_ path: String, _ workingDirectory: String?) -> String {
        guard let workingDirectory, !path.hasPrefix("/") else { return path }
        return Path.join(workingDirectory, path)
    }

    private static func notFound(_ name: String, reason: String) -> LaunchError {
        LaunchError(.commandNotFound, CloakError(.spawn, "\(name): \(reason)"))
    }
}
