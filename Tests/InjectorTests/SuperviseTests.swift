import CCloakLinux
import Core
import Testing

@testable import Injector

#if canImport(Glibc)
    import Glibc
#endif

/// Real signal scenarios: launch-probe supervises a child, the test signals launch-probe.
@Suite(.serialized) struct SuperviseTests {
    private func probe(_ arguments: [String]) throws -> TestProcess {
        try TestProcess([probePath] + arguments)
    }

    private let loop = "while :; do sleep 0.05; done"

    @Test func probeIsBuilt() {
        #expect(FileSystem.isFile(probePath), "launch-probe must be built next to the tests (swift build)")
    }

    @Test func exitStatusPassesThroughTheSupervisor() throws {
        #expect(try probe(["--supervise", "--", "sh", "-c", "exit 7"]).finish() == .exited(7))
        #expect(try probe(["--supervise", "--", "true"]).finish() == .exited(0))
        #expect(try probe(["--supervise", "--", "cloak-missing-command"]).finish() == .exited(127))
    }

    @Test func supervisorDiesOfTheChildsSignal() throws {
        let p = try probe(["--supervise", "--report", "--", "sh", "-c", "kill -TERM $$"])
        #expect(p.finish() == .signaled(15, coreDumped: false))
        #expect(p.errors.contains("outcome: signaled(15)"))
        // What a parent shell sees in $?.
        let shell = try TestProcess([
            "/bin/sh", "-c", "'\(probePath)' --supervise -- sh -c 'kill -TERM $$'; echo status=$?",
        ])
        #expect(shell.finish() == .exited(0))
        #expect(shell.output.contains("status=143"))
    }

    @Test(arguments: [(SIGTERM, "TERM"), (SIGHUP, "HUP")])
    func terminatingSignalIsForwarded(_ signo: Int32, _ name: String) throws {
        let p = try probe([
            "--supervise", "--", "sh", "-c", "trap 'echo got-\(name); exit 3' \(name); echo ready; \(loop)",
        ])
        #expect(p.waitForOutput("ready"))
        p.send(signo)
        #expect(p.finish() == .exited(3))
        #expect(p.output.contains("got-\(name)"))
    }

    @Test func killTimeoutEscalatesToSIGKILL() throws {
        let p = try probe([
            "--supervise", "--new-group", "--kill-timeout", "300", "--report", "--",
            "sh", "-c", "trap '' TERM; echo ready; \(loop)",
        ])
        #expect(p.waitForOutput("ready"))
        let start = monotonicSeconds()
        p.send(SIGTERM)
        #expect(p.finish() == .signaled(9, coreDumped: false))
        #expect(monotonicSeconds() - start >= 0.25)
        #expect(p.errors.contains("outcome: signaled(9)"))
    }

    @Test func sigintSentWithKillIsForwarded() throws {
        let p = try probe(["--supervise", "--", probePath, "count-signals", "INT", "1500"])
        #expect(p.waitForOutput("ready"))
        p.send(SIGINT)
        #expect(p.finish() == .exited(1))
        #expect(p.output.contains("INT=1"))
    }

    @Test func terminalSigintIsNotForwardedTwice() throws {
        // launch-probe and its child share a foreground process group on a terminal we own; ^C from the line
        // discipline reaches both, so the child must count exactly one.
        let terminal = try PseudoTerminal()
        let p = try TestProcess(
            [probePath, "--supervise", "--report", "--", probePath, "count-signals", "INT", "1500"],
            terminal: terminal
        )
        #expect(p.waitForOutput("ready"))
        p.type([3])
        #expect(p.finish() == .exited(1))
        #expect(p.output.contains("INT=1"))
        // The supervisor saw the terminal's SIGINT and deliberately did not pass it on.
        #expect(p.output.contains("forwarded: \r\n"))
        #expect(p.output.contains("not-forwarded: \(SIGINT)"))
    }

    @Test func sigintWithKillUnderATerminalIsStillForwarded() throws {
        let terminal = try PseudoTerminal()
        let p = try TestProcess(
            [probePath, "--supervise", "--report", "--", probePath, "count-signals", "INT", "1500"],
            terminal: terminal
        )
        #expect(p.waitForOutput("ready"))
        p.send(SIGINT)
        #expect(p.finish() == .exited(1))
        #expect(p.output.contains("INT=1"))
        #expect(p.output.contains("forwarded: \(SIGINT)\r\n"))
    }

    @Test func usr1IsForwarded() throws {
        let p = try probe(["--supervise", "--", "sh", "-c", "trap 'echo got-usr1; exit 4' USR1; echo ready; \(loop)"])
        #expect(p.waitForOutput("ready"))
        p.send(SIGUSR1)
        #expect(p.finish() == .exited(4))
        #expect(p.output.contains("got-usr1"))
    }

    @Test func execReplacesTheProcess() throws {
        let p = try probe(["--", "sh", "-c", "echo pid=$$"])
        #expect(p.finish() == .exited(0))
        #expect(p.output == "pid=\(p.pid)\n")
        #expect(try probe(["--", "cloak-missing-command"]).finish() == .exited(127))
    }

    @Test func preExecHookAppliesToTheExecutedCommand() throws {
        let p = try probe(["--exec", "--no-new-privs", "--", "grep", "NoNewPrivs", "/proc/self/status"])
        #expect(p.finish() == .exited(0))
        #expect(p.output.contains("NoNewPrivs:\t1"))
    }

    @Test func memfdSecretFileIsReadableAndNotOnDisk() throws {
        for mode in ["--exec", "--supervise"] {
            let p = try probe([
                mode, "--file", "SECRET_FILE:7=file-secret", "--",
                "sh", "-c", "cat \"$SECRET_FILE\"; echo; echo path=$SECRET_FILE; readlink /proc/self/fd/7",
            ])
            #expect(p.finish() == .exited(0))
            let lines = p.output.split(separator: "\n").map(String.init)
            #expect(lines.first == "file-secret")
            #expect(lines.contains("path=/dev/fd/7"))
            // The link names an anonymous memory file, not a path on any filesystem.
            #expect(lines.last?.hasPrefix("/memfd:") == true)
            #expect(lines.last?.hasSuffix("(deleted)") == true)
        }
        // No file anywhere temporary holds the value while the child reads it. Only files written since the
        // probe started can hold it; scanning all of /tmp instead can outlast the timeout when a build tree lives there.
        let unique = "memfd-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let marker = "/dev/shm/cloak-memfd-marker-\(getpid())"
        let fd = open(marker, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(fd >= 0)
        close(fd)
        defer { unlink(marker) }
        let p = try probe([
            "--file", "F:4=\(unique)", "--", "sh", "-c",
            "cat \"$F\" >/dev/null; find /tmp /var/tmp /dev/shm \"${TMPDIR:-/tmp}\" -xdev -type f -newer \(marker) "
                + "-exec grep -lsF -- \"\(unique)\" {} + 2>/dev/null; echo done",
        ])
        #expect(p.finish() == .exited(0))
        #expect(p.output == "done\n")
    }

    @Test func secretEnvironmentReachesTheChild() throws {
        let p = try probe(["--secret-env", "API_TOKEN=tok-123", "--", "sh", "-c", "echo $API_TOKEN"])
        #expect(p.finish() == .exited(0))
        #expect(p.output == "tok-123\n")
    }
}
