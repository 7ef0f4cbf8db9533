import Core
import Glibc
import Testing
@testable import Sops

/// The real sops binary, from `CLOAK_TEST_SOPS`. Without it the suite is disabled, except in CI where it fails.
private let sopsBinary: String? = Environment.process["CLOAK_TEST_SOPS"]

@Suite struct InteropTests {
    @Test func sopsBinaryIsConfiguredInCI() {
        if Environment.process["CI"] != nil { #expect(sopsBinary != nil, "set CLOAK_TEST_SOPS to the sops 3.11 binary") }
    }

    private func sops(_ args: [String]) throws -> [UInt8] {
        let r = try ShellCommand.execute([sopsBinary ?? "sops"] + args, environment: .process.overriding([
            "SOPS_DISABLE_VERSION_CHECK": "1", "SOPS_AGE_KEY_FILE": Fixture.path("key.txt"),
        ]))
        #expect(r.status == 0, "sops \(args): \(r.stderr.text)")
        return r.stdout.withUnsafeBytes { Array($0) }
    }

    @Test(.enabled(if: sopsBinary != nil), arguments: [("plain.yaml", "dec.yaml"), ("plain.json", "dec.json"),
        ("plain.env", "dec.env"), ("plain.ini", "dec.ini"), ("plain.bin", "plain.bin")])
    func filesCloakEncryptsDecryptWithSops(plain: String, dec: String) throws {
        let dir = makeTempDir()
        let ext = plain.split(separator: ".").last.map(String.init) ?? "bin"
        let path = dir + "/x." + ext
        let enc = try SopsFile.encrypt(plaintext: try Fixture.bytes(plain), file: path, format: SopsFormat(path: path),
                                       rule: .age([try Fixture.recipient()]), services: try Fixture.services())
        try AtomicFile.write(path: path, bytes: enc)
        #expect(try sops(["-d", path]).text == (try Fixture.text(dec)))
    }

    @Test(.enabled(if: sopsBinary != nil), arguments: ["enc.yaml", "enc.json", "enc.env", "enc.ini", "enc.bin"])
    func filesCloakEditsDecryptWithSops(name: String) throws {
        var f = try Fixture.decrypt(name)
        let key: [SopsPathComponent] = name == "enc.bin" ? [.key("data")] : name == "enc.ini" ? [.key("server"), .key("extra")] : [.key("extra")]
        try f.set(.string(SecretBytes.text("added")), at: key)
        let path = makeTempDir() + "/" + name
        try AtomicFile.write(path: path, bytes: try f.encrypted())
        let out = try sops(["-d", path]).text
        #expect(out.contains("added"))
    }

    @Test(.enabled(if: sopsBinary != nil), arguments: ["plain.yaml", "plain.json", "plain.env", "plain.ini", "plain.bin"])
    func freshSopsFilesDecryptWithCloak(plain: String) throws {
        let dir = makeTempDir()
        let path = dir + "/" + plain
        try AtomicFile.write(path: path, bytes: try Fixture.bytes(plain))
        let enc = try sops(["encrypt", "--age", try Fixture.recipient(), path])
        let f = try SopsFile.decrypt(enc, file: path, format: SopsFormat(path: path), services: try Fixture.services())
        let dec = plain.replacing("plain", with: "dec")
        #expect(try f.plaintext().text == (try Fixture.text(plain == "plain.bin" ? "plain.bin" : dec)))
    }
}
