import Core
import Glibc
import Testing

@testable import Sops

/// Files written by the real tools (Fixtures/sops-samples) and, when installed, the `age` binary itself.
@Suite struct AgeInteropTests {
    @Test func decryptsArmoredFileFromAgeCLI() throws {
        let keyFile = try #require(AgeFixtures.read(AgeFixtures.path("sops-samples/key.txt")))
        var keyBytes = keyFile
        let identities = try AgeIdentityFile.parse(SecretBytes(consuming: &keyBytes), source: "key.txt")
        let file = try #require(AgeFixtures.read(AgeFixtures.path("sops-samples/x25519-armored.age")))
        let plaintext = try Age.decrypt(file, identities: identities)
        #expect(plaintext.isEqual(to: Array("hi\n".utf8)))
    }

    @Test func decryptsScryptFileFromRage() throws {
        // Work factor 18: about 256 MiB and a second or so.
        let file = try #require(AgeFixtures.read(AgeFixtures.path("sops-samples/scrypt-passphrase.age")))
        let plaintext = try Age.decrypt(file, passphrase: AgeFixtures.secret("correct horse"))
        #expect(plaintext.isEqual(to: Array("hello scrypt\n".utf8)))
    }

    static var ageInstalled: Bool { AgeFixtures.onPath("age") }
    static var inCI: Bool { getenv("CI") != nil }

    @Test func ageBinaryIsInstalledInCI() {
        // CI installs the Debian `age` package; outside CI the binary tests below are skipped when it is missing.
        if Self.inCI { #expect(Self.ageInstalled, "CI must install the 'age' binary (apt-get install -y age)") }
    }

    @Test(
        .enabled(if: ageInstalled, "the 'age' binary is not installed (apt-get install -y age)"),
        arguments: [false, true]
    )
    func ageBinaryDecryptsWhatCloakEncrypts(armor: Bool) throws {
        let identity = AgeIdentity.generate()
        let keyPath = "/tmp/cloak-age-test-\(getpid())-\(armor).key"
        defer { unlink(keyPath) }
        let rendered = AgeIdentityFile.render(identity, created: "2026-01-01T00:00:00Z")
        #expect(rendered.withUnsafeBytes { AgeFixtures.write(keyPath, Array($0)) })
        let plaintext = AgeFixtures.pattern(70000)
        let file = try Age.encrypt(plaintext, to: [AgeIdentity.generate().recipient, identity.recipient], armor: armor)
        let filePath = keyPath + ".age"
        defer { unlink(filePath) }
        #expect(AgeFixtures.write(filePath, file))
        let decrypted = AgeFixtures.run(["age", "-d", "-i", keyPath, filePath])
        #expect(decrypted.status == 0)
        #expect(plaintext.isEqual(to: decrypted.stdout))
    }

    @Test(
        .enabled(if: ageInstalled, "the 'age' binary is not installed (apt-get install -y age)"),
        arguments: [false, true]
    )
    func cloakDecryptsWhatAgeBinaryEncrypts(armor: Bool) throws {
        let identity = AgeIdentity.generate()
        let input = (0..<70000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let inputPath = "/tmp/cloak-age-test-\(getpid())-\(armor).in"
        defer { unlink(inputPath) }
        #expect(AgeFixtures.write(inputPath, input))
        let argv =
            ["age", "-r", identity.recipient.string, "-r", AgeIdentity.generate().recipient.string]
            + (armor ? ["-a"] : []) + [inputPath]
        let encrypted = AgeFixtures.run(argv)
        #expect(encrypted.status == 0)
        #expect(AgeArmor.looksArmored(encrypted.stdout) == armor)
        let plaintext = try Age.decrypt(encrypted.stdout, identities: [identity])
        #expect(plaintext.isEqual(to: input))
    }
}
