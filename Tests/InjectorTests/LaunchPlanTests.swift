import CCloakLinux
import Core
import Testing

@testable import Injector

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct LaunchPlanTests {
    @Test func nothingResidentMeansExec() {
        #expect(Launcher.strategy(for: LaunchOptions()) == .exec)
        // An empty mask set masks nothing, so it does not need a resident parent either.
        #expect(Launcher.strategy(for: LaunchOptions(masking: MaskSet(secrets: []))) == .exec)
    }

    @Test func eachResidentFeatureMeansSupervise() {
        let cases: [LaunchOptions] = [
            LaunchOptions(masking: MaskSet(secrets: [secret("v")])),
            LaunchOptions(killTimeout: .seconds(5)),
            LaunchOptions(pseudoTerminal: .always),
            LaunchOptions(newProcessGroup: true),
            LaunchOptions(filesToRemove: ["/tmp/x"]),
            LaunchOptions(watch: true),
            LaunchOptions(forceSupervise: true),
        ]
        for options in cases { #expect(Launcher.strategy(for: options) == .supervise) }
    }

    @Test func secretFileIsSealedAndReadable() throws {
        let file = try SecretFile(contents: secret("line1\nline2"), target: 9)
        #expect(file.path == "/dev/fd/9")
        #expect(file.isSealed)
        #expect(fcntl(file.descriptor, F_GETFD) & FD_CLOEXEC != 0)
        #expect(write(file.descriptor, "x", 1) < 0)  // sealed against writes
        let text = try FileSystem.readText("/proc/self/fd/\(file.descriptor)")
        #expect(text == "line1\nline2")
        #expect(throws: CloakError.self) { try SecretFile(contents: secret("x"), target: 1) }
    }

    private func text(_ bytes: SecretBytes) -> String { bytes.unsafeString() }

    @Test func actionsMaskCommandsEscapeAndSplitLines() {
        let out = text(
            GitHubActions.addMaskCommands(for: [secret("plain"), secret("50%off"), secret("l1\r\nl2\n\n  \nl1")])
        )
        #expect(out == "::add-mask::plain\n::add-mask::50%25off\n::add-mask::l1\n::add-mask::l2\n")
    }

    @Test func actionsMaskEscapesStrayCarriageReturns() {
        #expect(text(GitHubActions.addMaskCommands(for: [secret("a\rb")])) == "::add-mask::a%0Db\n")
        #expect(text(GitHubActions.addMaskCommands(for: [secret(""), secret(" ")])) == "")
    }

    @Test func actionsDetection() {
        #expect(GitHubActions.isActive(Environment(["GITHUB_ACTIONS": "true"])))
        #expect(!GitHubActions.isActive(Environment([:])))
    }

    @Test func exitOutcomeDecodesWaitStatus() {
        #expect(ExitOutcome(waitStatus: 7 << 8) == .exited(7))
        #expect(ExitOutcome(waitStatus: 15) == .signaled(15, coreDumped: false))
        #expect(ExitOutcome(waitStatus: 0x80 | 6) == .signaled(6, coreDumped: true))
        #expect(ExitOutcome.exited(3).shellStatus == 3)
        #expect(ExitOutcome.signaled(2, coreDumped: false).shellStatus == 130)
    }
}
