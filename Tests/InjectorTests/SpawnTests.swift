import CCloakLinux
import Core
import Testing

@testable import Injector

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SpawnTests {
    private func launchError(_ arguments: [String], env: EnvironmentBlock? = nil, cwd: String? = nil) -> LaunchError? {
        do {
            _ = try TestProcess(arguments, environment: env, workingDirectory: cwd)
            return nil
        } catch let error as LaunchError {
            return error
        } catch {
            return nil
        }
    }

    @Test func unknownCommandIs127() {
        let error = launchError(["cloak-no-such-command-\(getpid())"])
        #expect(error?.kind == .commandNotFound)
        #expect(error?.exitCode == 127)
        #expect(launchError(["/nonexistent/dir/tool"])?.exitCode == 127)
    }

    @Test func lookupUsesTheChildsPathNotOurs() throws {
        let dir = makeTempDirectory()
        writeFile(dir + "/cloak-test-tool", "#!/bin/sh\necho found-it\n", mode: 0o755)
        let p = try TestProcess(["cloak-test-tool"], environment: try environment(["PATH": dir]))
        #expect(p.finish() == .exited(0))
        #expect(p.output == "found-it\n")
        // `sh` is on our PATH but not on the child's.
        #expect(launchError(["sh", "-c", "true"], env: try environment(["PATH": dir]))?.exitCode == 127)
    }

    @Test func foundButNotExecutableIs126() throws {
        let dir = makeTempDirectory()
        writeFile(dir + "/plain-file", "echo hi\n", mode: 0o644)
        let denied = launchError(["plain-file"], env: try environment(["PATH": dir]))
        #expect(denied?.kind == .notExecutable)
        #expect(denied?.exitCode == 126)
        // Executable bits but no interpreter and not ELF: ENOEXEC.
        writeFile(dir + "/garbage", "\u{7f}XYZ not a program", mode: 0o755)
        #expect(launchError([dir + "/garbage"])?.exitCode == 126)
        // A directory named like the command.
        mkdir(dir + "/subdir", 0o755)
        #expect(launchError([dir + "/subdir"])?.exitCode == 126)
    }

    @Test(arguments: [Int32(0), 7, 255])
    func exitStatusIsPassedThrough(_ code: Int32) throws {
        let p = try TestProcess(["/bin/sh", "-c", "exit \(code)"])
        #expect(p.finish() == .exited(code))
    }

    @Test func deathBySignalIsReported() throws {
        let term = try TestProcess(["/bin/sh", "-c", "kill -TERM $$"])
        #expect(term.finish() == .signaled(15, coreDumped: false))
        let killed = try TestProcess(["/bin/sh", "-c", "kill -KILL $$"])
        #expect(killed.finish() == .signaled(9, coreDumped: false))
        #expect(ExitOutcome.signaled(15, coreDumped: false).shellStatus == 143)
    }

    @Test func preSpawnHookReachesTheChildButNotThisProcess() throws {
        let p = try TestProcess(
            ["/bin/grep", "NoNewPrivs", "/proc/self/status"],
            preSpawn: { () throws(CloakError) in
                if ccloak_set_no_new_privs() != 0 { throw CloakError(.spawn, "prctl failed") }
            }
        )
        #expect(p.finish() == .exited(0))
        #expect(p.output.contains("NoNewPrivs:\t1"))
        // The main thread (what /proc/self/status shows) and this thread are unaffected.
        #expect(ccloak_get_no_new_privs() == 0)
        let main = try FileSystem.readText("/proc/self/status")
        #expect(main.contains("NoNewPrivs:\t0"))
    }

    @Test func failingHookStopsTheSpawn() {
        do {
            _ = try TestProcess(
                ["/bin/true"],
                preSpawn: { () throws(CloakError) in throw CloakError(.spawn, "sandbox refused") }
            )
            Issue.record("expected an error")
        } catch let error as LaunchError {
            #expect(error.kind == .failed)
            #expect(error.description.contains("sandbox refused"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func strayDescriptorsDoNotLeakButRequestedOnesArrive() throws {
        let stray = open("/dev/null", O_RDONLY)  // deliberately without O_CLOEXEC
        let high = dup2(stray, 47)
        close(stray)
        defer { close(high) }
        let file = try SecretFile(contents: secret("fd-contents"), target: 5)
        let p = try TestProcess(
            ["/bin/sh", "-c", "ls /proc/$$/fd | sort -n | tr '\\n' ' '; cat /dev/fd/5"],
            descriptors: [file.inheritedDescriptor]
        )
        #expect(p.finish() == .exited(0))
        let fds = p.output.split(separator: " ").map(String.init)
        #expect(!fds.contains("47"))
        #expect(fds.contains("5"))
        #expect(p.output.hasSuffix("fd-contents"))
    }

    @Test func workingDirectoryIsApplied() throws {
        let dir = makeTempDirectory()
        let p = try TestProcess(["/bin/pwd"], workingDirectory: dir)
        #expect(p.finish() == .exited(0))
        #expect(p.output == dir + "\n")
        #expect(launchError(["/bin/pwd"], cwd: dir + "/missing")?.kind == .failed)
    }
}
