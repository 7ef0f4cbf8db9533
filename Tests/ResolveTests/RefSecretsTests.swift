import Core
import Resolve
import Testing
import YAML

/// A fake SOPS decryptor: "ENC:" followed by the plaintext.
let fakeDecryptor = SopsDecryptor { (bytes, name, _, _) throws(CloakError) -> SecretBytes in
    let text = String(decoding: bytes, as: UTF8.self)
    guard text.hasPrefix("ENC:") else { throw CloakError(.decrypt, "\(name): MAC mismatch") }
    var plain = Array(text.dropFirst(4).utf8)
    return SecretBytes(consuming: &plain)
}

@Suite struct RefDeclarationTests {
    static let atmos = "stacks: {base_path: stacks, name_pattern: \"{stage}\"}\n"

    private func service(_ repo: TestRepo, component: String = "api") throws -> SecretService {
        let catalog = try repo.catalog()
        var registry = RefRegistry.local()
        registry.register("sops", SopsRefProvider(decryptor: fakeDecryptor, workingDirectory: repo.root))
        registry.markUnavailable("awsssm")
        let backends = SecretBackends(
            sops: { (_) throws(CloakError) -> any SecretBackend in throw CloakError(.config, "no sops") },
            store: { (_) throws(CloakError) -> any SecretBackend in throw CloakError(.config, "no store") },
            references: registry)
        return try SecretService(component: try catalog.component(component, stack: "dev"), config: catalog.config, backends: backends)
    }

    @Test func refDeclarationsResolveThroughTheRegistry() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "s.enc.yaml": "ENC:db: {password: pw1, port: 5432}\n",
            "stacks/dev.yaml": """
                vars: {stage: dev}
                components:
                  terraform:
                    api:
                      secrets:
                        vars:
                          ECHO: {ref: "ref+echo://hello"}
                          PW: {ref: "ref+sops://s.enc.yaml#/db/password"}
                          DB: {ref: "ref+sops://s.enc.yaml#/db"}
                          SSM: {ref: "ref+awsssm://prod/x", required: true}
                          GONE: {ref: "ref+sops://missing.enc.yaml#/x"}

                """,
        ])
        let s = try service(repo)
        #expect(try s.declaration("PW").backend == .ref("ref+sops://s.enc.yaml#/db/password"))
        #expect(try s.declaration("PW").providerLabel == "ref:sops")
        #expect(try s.get("ECHO").bytes.unsafeString() == "hello")
        #expect(try s.get("PW").bytes.unsafeString() == "pw1")
        let db = try s.get("DB")
        #expect(db.isJSON && db.bytes.unsafeString() == #"{"password":"pw1","port":5432}"#)
        let all = s.resolveAll()
        #expect(all.count == 5)
        #expect(try all.first { $0.0.name == "PW" }?.1.get().bytes.unsafeString() == "pw1")
        // Local references are checked without --verify; remote ones are unknown.
        #expect(s.status(try s.declaration("PW"), verify: false) == .initialized)
        #expect(s.status(try s.declaration("GONE"), verify: false) == .missing)
        #expect(s.status(try s.declaration("SSM"), verify: false) == .unknown)
        #expect(captureError { _ = try s.get("SSM") }?.message.contains("backend awsssm is not available in this build yet") == true)
        let set = captureError {
            var v = Array("x".utf8)
            _ = try s.set("ECHO", .text(SecretBytes(consuming: &v)), componentGiven: true)
        }
        #expect(set?.message.contains("is a ref+ reference") == true)
    }

    @Test func refDeclarationsAreValidated() throws {
        let both = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/dev.yaml": "vars: {stage: dev}\ncomponents: {terraform: {api: {secrets: {vars: {X: {ref: 'ref+echo://ab', sops: f}}}}}}\n",
        ])
        #expect(captureError { _ = try service(both) }?.message.contains("declares ref: together with store: or sops:") == true)
        let notRef = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/dev.yaml": "vars: {stage: dev}\ncomponents: {terraform: {api: {secrets: {vars: {X: {ref: 'plain text'}}}}}}\n",
        ])
        #expect(captureError { _ = try service(notRef) }?.message.contains("ref: must be a reference") == true)
    }
}

@Suite struct RefEncryptedManifestTests {
    static let atmos = "stacks: {base_path: stacks, included_paths: ['deploy/**/*'], name_pattern: \"{stage}\"}\n"

    @Test func encryptedManifestsAreDecryptedMergedAndMasked() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/deploy/dev.yaml": "import: [catalog/secret.sops]\ncomponents: {terraform: {api: {vars: {plain: x, inc: !include ../inc.sops.json}}}}\n",
            "stacks/catalog/secret.sops.yaml": "ENC:vars: {stage: dev}\ncomponents: {terraform: {api: {vars: {password: s3cr3t, port: 5432}}}}\n",
            "stacks/inc.sops.json": "ENC:{\"token\": \"t0k\"}",
        ])
        let catalog = try repo.catalog()
        catalog.decryptManifests(with: fakeDecryptor)
        let api = try catalog.component("api", stack: "dev")
        #expect(api.vars["password"]?.scalarText == "s3cr3t")
        #expect(api.vars["port"]?.scalarValue == .int(5432))
        #expect(api.vars["inc"]?["token"]?.scalarText == "t0k")
        let values = catalog.decryptedManifestValues.map { $0.unsafeString() }
        #expect(values.contains("s3cr3t") && values.contains("t0k") && values.contains("dev"))
        #expect(!values.contains("5432"))  // only string leaves: masking every "5432" or "true" would be noise
        let masked = catalog.maskEncryptedValues(api.vars, replacement: "<MASKED>")
        #expect(masked["password"]?.scalarText == "<MASKED>")
        #expect(masked["port"]?.scalarText == "<MASKED>")
        #expect(masked["inc"]?["token"]?.scalarText == "<MASKED>")
        #expect(masked["plain"]?.scalarText == "x")
        // Names may come from decrypted vars: the index cache is not written.
        #expect(FileSystem.list(Path.join(repo.root, ".cache/cloak")).isEmpty)
    }

    @Test func encryptedManifestWithoutDecryptorAndBadMAC() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/deploy/dev.sops.yaml": "garbage",
        ])
        let plain = try repo.catalog()
        #expect(captureError { _ = try plain.entries() }?.message.contains("encrypted manifests need SOPS decryption") == true)
        let withKeys = try repo.catalog()
        withKeys.decryptManifests(with: fakeDecryptor)
        #expect(captureError { _ = try withKeys.entries() }?.message.contains("MAC mismatch") == true)
    }

    @Test func sopsConfigFileIsNotAnEncryptedManifest() throws {
        let repo = try TestRepo([
            "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*']}\n",
            "stacks/dev.yaml": "components: {terraform: {x: {}}}\n",
            "stacks/.sops.yaml": "creation_rules: []\n",
        ])
        let catalog = try repo.catalog()
        catalog.decryptManifests(with: fakeDecryptor)
        #expect(try catalog.component("x", stack: "dev").name == "x")
    }

    @Test func encryptedTopLevelManifestIsNamedWithoutSops() throws {
        let repo = try TestRepo([
            "atmos.yaml": "stacks: {base_path: stacks, included_paths: ['**/*']}\n",
            "stacks/prod.sops.yaml": "ENC:components: {terraform: {db: {vars: {a: b}}}}\n",
        ])
        let catalog = try repo.catalog()
        catalog.decryptManifests(with: fakeDecryptor)
        #expect(try catalog.entries().map(\.name) == ["prod"])
    }
}
