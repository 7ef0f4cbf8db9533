import Core
import Testing

@testable import Injector

@Suite struct EnvironmentBlockTests {
    @Test func childSeesExactlyTheBlock() throws {
        let block = try EnvironmentBlock([
            (name: "PLAIN", value: .plain("hello world")),
            (name: "SECRET", value: .secret(secret("s3cr=t with spaces"))),
            (name: "EMPTY", value: .plain("")),
            (name: "UTF8", value: .plain("grüße")),
        ])
        let p = try TestProcess(["/usr/bin/env"], environment: block)
        #expect(p.finish() == .exited(0))
        #expect(p.output == "PLAIN=hello world\nSECRET=s3cr=t with spaces\nEMPTY=\nUTF8=grüße\n")
    }

    @Test func laterDuplicateReplacesInPlaceAndSecretWinsWhenLast() throws {
        let block = try EnvironmentBlock([
            (name: "A", value: .plain("1")),
            (name: "TOKEN", value: .plain("from-parent")),
            (name: "B", value: .plain("2")),
            (name: "TOKEN", value: .secret(secret("from-store"))),
        ])
        #expect(block.variableNames == ["A", "TOKEN", "B"])
        #expect(block.isSecret("TOKEN"))
        let p = try TestProcess(["/usr/bin/env"], environment: block)
        #expect(p.finish() == .exited(0))
        #expect(p.output == "A=1\nTOKEN=from-store\nB=2\n")
    }

    @Test func envpIsNullTerminatedAndComplete() throws {
        var block = try EnvironmentBlock([(name: "X", value: .plain("1"))])
        try block.set("Y", secret: secret("2"))
        block.remove("X")
        try block.set("Z", "3")
        let entries: [String] = block.withUnsafeEnvp { envp in
            var out: [String] = []
            var i = 0
            while let p = envp[i] {
                out.append(String(cString: p))
                i += 1
            }
            return out
        }
        #expect(entries == ["Y=2", "Z=3"])
    }

    @Test(arguments: ["", "A=B", "NUL\u{0}NAME"])
    func invalidNamesAreRejectedNamingTheVariable(_ name: String) {
        #expect(throws: CloakError.self) { try EnvironmentBlock([(name: name, value: .plain("v"))]) }
    }

    @Test func nameWithEqualsIsNamedInTheError() {
        do {
            _ = try EnvironmentBlock([(name: "BAD=NAME", value: .plain("v"))])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("BAD=NAME"))
        }
    }

    @Test func valueWithNULIsRejectedWithoutShowingTheValue() {
        var bytes = Array("top\u{0}secret-value".utf8)
        do {
            _ = try EnvironmentBlock([(name: "DB_PASSWORD", value: .secret(SecretBytes(consuming: &bytes)))])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("DB_PASSWORD"))
            #expect(!error.description.contains("secret-value"))
        }
        #expect(throws: CloakError.self) { try EnvironmentBlock([(name: "P", value: .plain("a\u{0}b"))]) }
    }
}
