import Core
import Testing

@Suite struct ShellCommandTests {
    @Test(.timeLimit(.minutes(1))) func largeInputAndOutputDoNotDeadlock() throws {
        var input = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let expected = input
        let result = try ShellCommand.execute(["cat"], stdin: SecretBytes(consuming: &input))
        #expect(result.status == 0)
        #expect(result.stdout.isEqual(to: expected))
    }

    @Test func stderrAndStatusAreCaptured() throws {
        let result = try ShellCommand.execute(
            ["/bin/sh", "-c", "printf out; printf \"$X\" >&2; exit 3"], environment: .process.overriding(["X": "err"]))
        #expect(result.status == 3)
        #expect(result.stdout.unsafeString() == "out")
        #expect(result.stderr == Array("err".utf8))
    }

    @Test func childThatIgnoresItsInputIsFine() throws {
        var input = [UInt8](repeating: 0x61, count: 1 << 20)
        let result = try ShellCommand.execute(["/bin/sh", "-c", "exit 0"], stdin: SecretBytes(consuming: &input))
        #expect(result.status == 0)
    }

    @Test func shellRunStripsOneNewline() throws {
        #expect(try ShellCommand.run("printf 'a\\n\\n'") == "a\n")
        #expect(throws: CloakError.self) { try ShellCommand.run("exit 1") }
    }
}
