import CCloakLinux
import Core
import Testing

@testable import Injector

#if canImport(Glibc)
    import Glibc
#endif

/// Masked supervision end to end: pipes when stdout is not a terminal, a PTY when it is (or when forced).
@Suite(.serialized) struct MaskedOutputTests {
    @Test func pipesMaskStdoutAndStderrSeparately() throws {
        let p = try TestProcess([
            probePath, "--mask", "hunter2", "--", "sh", "-c",
            "echo out=hunter2; echo err=hunter2 >&2; printf 'b64=%s\\n' $(printf hunter2 | base64)",
        ])
        #expect(p.finish() == .exited(0))
        #expect(p.output == "out=<MASKED>\nb64=<MASKED>\n")
        #expect(p.errors == "err=<MASKED>\n")
    }

    @Test func childExitStatusSurvivesMasking() throws {
        let p = try TestProcess([probePath, "--mask", "abc", "--", "sh", "-c", "echo abc; exit 9"])
        #expect(p.finish() == .exited(9))
        #expect(p.output == "<MASKED>\n")
    }

    @Test func promptWithoutNewlineAppearsWhileTheChildWaits() throws {
        // "s3c" could still become the secret, so it is held, then released once the child goes quiet.
        let p = try TestProcess([probePath, "--mask", "s3cr3t", "--", "sh", "-c", "printf 'Enter s3c'; sleep 2; echo"])
        let start = monotonicSeconds()
        #expect(p.waitForOutput("Enter s3c", seconds: 1.5))
        #expect(monotonicSeconds() - start < 1.5)
        var stopped = false
        #expect(p.child.poll(stopped: &stopped) == nil, "the child is still running")
        #expect(p.finish() == .exited(0))
    }

    @Test func forcedPseudoTerminalKeepsIsattyAndMasks() throws {
        let p = try TestProcess([
            probePath, "--mask", "x1y2z3", "--pty", "always", "--", "sh", "-c",
            "test -t 1 && echo tty-out; test -t 0 && echo tty-in; echo v=x1y2z3",
        ])
        #expect(p.finish() == .exited(0))
        #expect(p.output.contains("tty-out"))
        #expect(p.output.contains("tty-in"))
        #expect(p.output.contains("v=<MASKED>"))
        #expect(!p.output.contains("x1y2z3"))
    }

    @Test func terminalStdoutGetsAPseudoTerminalWithSizeInputAndRawModeRestored() throws {
        let terminal = try PseudoTerminal()
        #expect(ccloak_tty_set_winsize(terminal.master, 33, 101) == 0)
        var before = termios()
        tcgetattr(terminal.master, &before)
        let p = try TestProcess(
            [
                probePath, "--mask", "pa55word", "--", "sh", "-c",
                "test -t 1 && echo tty-yes; stty size; echo ready; read line; echo got=$line; echo pa55word",
            ],
            terminal: terminal
        )
        #expect(p.waitForOutput("ready"))
        // Raw mode on the outer terminal while the child runs.
        var during = termios()
        tcgetattr(terminal.master, &during)
        #expect(during.c_lflag & tcflag_t(ICANON) == 0)
        p.type(Array("hello\r".utf8))
        #expect(p.finish() == .exited(0))
        #expect(p.output.contains("tty-yes"))
        #expect(p.output.contains("33 101"))
        #expect(p.output.contains("got=hello"))
        #expect(p.output.contains("<MASKED>"))
        #expect(!p.output.contains("pa55word"))
        var after = termios()
        tcgetattr(terminal.master, &after)
        #expect(after.c_lflag == before.c_lflag)
        #expect(after.c_lflag & tcflag_t(ICANON) != 0)
    }

    @Test func terminalIsRestoredWhenAnUnhandledSignalKillsTheSupervisor() throws {
        let terminal = try PseudoTerminal()
        var before = termios()
        tcgetattr(terminal.master, &before)
        let p = try TestProcess(
            [probePath, "--mask", "unused-secret", "--", "sh", "-c", "echo ready; while :; do sleep 0.05; done"],
            terminal: terminal)
        #expect(p.waitForOutput("ready"))
        var during = termios()
        tcgetattr(terminal.master, &during)
        #expect(during.c_lflag & tcflag_t(ICANON) == 0)
        p.send(SIGALRM)
        #expect(p.finish() == .signaled(SIGALRM, coreDumped: false))
        var after = termios()
        tcgetattr(terminal.master, &after)
        #expect(after.c_lflag == before.c_lflag)
    }

    @Test func childStoppingOnItsTerminalSuspendsTheSupervisorUntilContinued() throws {
        let terminal = try PseudoTerminal()
        let p = try TestProcess(
            [probePath, "--mask", "unused-secret", "--", "sh", "-c", "echo ready; kill -STOP $$; echo resumed"],
            terminal: terminal)
        #expect(p.waitForOutput("ready"))
        var stopped = false
        let deadline = monotonicSeconds() + 5
        while !stopped && monotonicSeconds() < deadline {
            _ = p.child.poll(stopped: &stopped)
            p.pump(ms: 10)
        }
        #expect(stopped, "the supervisor stops with its child")
        var during = termios()
        tcgetattr(terminal.master, &during)
        #expect(during.c_lflag & tcflag_t(ICANON) != 0, "the user's terminal is back while stopped")
        p.send(SIGCONT)
        #expect(p.finish() == .exited(0))
        #expect(p.output.contains("resumed"))
    }

    @Test func windowSizeChangesReachTheChild() throws {
        let terminal = try PseudoTerminal()
        #expect(ccloak_tty_set_winsize(terminal.master, 24, 80) == 0)
        let p = try TestProcess(
            [
                probePath, "--mask", "unused-secret", "--", "sh", "-c",
                "trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.05; done",
            ],
            terminal: terminal
        )
        #expect(p.waitForOutput("ready"))
        #expect(ccloak_tty_set_winsize(terminal.master, 40, 120) == 0)
        #expect(p.finish() == .exited(0))
        #expect(p.output.contains("40 120"))
    }

    @Test func ctrlCUnderThePseudoTerminalReachesTheChildOnce() throws {
        let terminal = try PseudoTerminal()
        let p = try TestProcess(
            [probePath, "--mask", "unused-secret", "--", probePath, "count-signals", "INT", "1500"],
            terminal: terminal
        )
        #expect(p.waitForOutput("ready"))
        p.type([3])
        #expect(p.finish() == .exited(1))
        #expect(p.output.contains("INT=1"))
    }
}
