#if canImport(Glibc)
import Glibc
#endif

extension ShellCommand {
    /// Runs `argv` with the terminal (stdio inherited) and waits; returns its exit status (128+N if killed).
    public static func interactive(_ argv: [String], environment: Environment = .process) throws(CloakError) -> Int32 {
        let envStrings = environment.all().map { "\($0.0)=\($0.1)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cargv in
            withCStrings(envStrings) { cenv in posix_spawnp(&pid, argv[0], nil, nil, cargv, cenv) }
        }
        guard rc == 0 else { throw CloakError(.spawn, "cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
        return waitForExit(pid)
    }
}
