import Core
import Glibc
import Testing
@testable import Sops

@Suite struct PGPTests {
    @Test(.enabled(if: access("/usr/bin/gpg", X_OK) == 0), .timeLimit(.minutes(1)))
    func dataKeyRoundTripsThroughGPG() throws {
        let home = makeTempDir()
        chmod(home, 0o700)
        let env = ["GNUPGHOME": home]
        // gpg starts an agent for the temporary home; stop it so test runs leave no daemon behind.
        defer { _ = try? ShellCommand.execute(["gpgconf", "--kill", "gpg-agent"], environment: .process.overriding(env)) }
        let gen = try ShellCommand.execute(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "cloak-test <t@example.invalid>",
                                      "default", "default", "never"], environment: .process.overriding(env))
        #expect(gen.status == 0)
        let list = try ShellCommand.execute(["gpg", "--batch", "--with-colons", "--list-keys"], environment: .process.overriding(env))
        let fp = list.stdout.unsafeString().split(separator: "\n").first { $0.hasPrefix("fpr:") }?
            .split(separator: ":", omittingEmptySubsequences: false)[9]
        let service = PGPKeyService(environment: env)
        let rule = SopsCreationRule(keyGroups: [SopsKeyGroup([SopsKeyEntry(type: "pgp", fields: ["fp": String(fp ?? "")])])])
        let enc = try SopsFile.encrypt(plaintext: Array("a: b\n".utf8), file: "x.yaml", format: .yaml, rule: rule,
                                       services: [service])
        #expect(enc.text.contains("-----BEGIN PGP MESSAGE-----"))
        let f = try SopsFile.decrypt(enc, file: "x.yaml", format: .yaml, services: [service])
        #expect(try f.plaintext().text == "a: b\n")
    }
}
