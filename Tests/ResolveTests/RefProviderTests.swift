import Core
import Resolve
import Synchronization
import Testing
import YAML

#if canImport(Glibc)
import Glibc
#endif

@Suite struct RefProviderTests {
    @Test func echo() throws {
        let r = resolver()
        #expect(try r.resolve(text: "ref+echo://foo/bar").scalarText == "foo/bar")
        #expect(try r.resolve(text: "ref+echo://foo/bar/").scalarText == "foo/bar")
        #expect(try r.resolve(text: "ref+echo://foo").scalarText == "foo")
        #expect(try r.resolve(text: "ref+echo://foo/bar/baz#/foo/bar").scalarText == "baz")
        #expect(try r.resolve(text: "ref+echo://foo/bar#/foo").scalarText == "bar")
        #expect(try r.resolve(text: "ref+echo://foo/bar/baz#/foo").isMapping)
        let e = captureError { _ = try r.resolve(text: "ref+echo://foo#/foo") }
        #expect(e?.message.contains("at least two segments") == true)
    }

    @Test func file() throws {
        let repo = try TestRepo(["v.txt": "hello\n", "c.yaml": "db:\n  port: 5432\n  user: admin\nlist: [1]\n", "c.json": "{\"a\": {\"b\": 1.5}}"])
        let r = resolver()
        #expect(try r.resolve(text: "ref+file://\(repo.root)/v.txt").scalarText == "hello\n")
        #expect(try r.resolve(text: "ref+file://\(repo.root)/v.txt?encode=base64").scalarText == "aGVsbG8K")
        #expect(try r.resolve(text: "ref+file://\(repo.root)/c.yaml#/db/port").scalarValue == .int(5432))
        #expect(try r.resolve(text: "ref+file://\(repo.root)/c.json#/a/b").scalarValue == .float(1.5))
        let bad = captureError { _ = try r.resolve(text: "ref+file://\(repo.root)/v.txt?encode=hex") }
        #expect(bad?.message.contains("unsupported encode=hex") == true)
        let list = captureError { _ = try r.resolve(text: "ref+file://\(repo.root)/c.yaml#/list/0") }
        #expect(list?.message.contains("expected a map, got []interface {}") == true)
        // Relative to the working directory.
        let provider = FileRefProvider(workingDirectory: repo.root)
        #expect(try provider.getString("v.txt/", params: RefParams(query: [:])) == "hello\n")
    }

    @Test func fileEncodeFallsBackToValsEnvironment() throws {
        let repo = try TestRepo(["v.txt": "hi"])
        let p = FileRefProvider()
        let params = RefParams(query: [:], environment: Environment(["VALS_ENCODE": "base64"]))
        #expect(try p.getString(repo.root + "/v.txt", params: params) == "aGk=")
    }

    @Test(arguments: [
        ("$HOME/x", "/home/u/x"),
        ("${HOME}/x", "/home/u/x"),
        ("${UNSET:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${EMPTY-fallback}", ""),
        ("${UNSET-fb}", "fb"),
        ("${HOME:+alt}", "alt"),
        ("${UNSET:+alt}", ""),
        ("${#HOME}", "7"),
        ("$UNSET", ""),
        ("a$$b", "a$b"),
        ("cost $5", "cost $5"),
        ("${UNSET:-$HOME}", "/home/u"),
    ])
    func envsubst(text: String, expected: String) throws {
        let env = ["HOME": "/home/u", "EMPTY": ""]
        #expect(try Envsubst.expand(text, lookup: { env[$0] }) == expected)
    }

    @Test func envsubstErrorsAndProvider() throws {
        let e = captureError { _ = try Envsubst.expand("${UNSET:?needed}", lookup: { _ in nil }) }
        #expect(e?.message == "envsubst: variable UNSET is not set (needed)")
        let r = resolver(environment: Environment(["TOKEN": "t0k", "DOC": "a"]))
        #expect(try r.resolve(text: "ref+envsubst://$TOKEN").scalarText == "t0k")
        #expect(try r.resolve(text: "ref+envsubst://x/${TOKEN}/y").scalarText == "x/t0k/y")
        // `{` is not allowed in the host part (Go URL rules): use $VAR there.
        let host = captureError { _ = try r.resolve(text: "ref+envsubst://${TOKEN}") }
        #expect(host?.message.contains("invalid character") == true)
    }

    @Test func sopsRoutesFormatsKeyTypesAndFragments() throws {
        let repo = try TestRepo(["s.enc.yaml": "ENCRYPTED", "s.enc.json": "ENCJSON"])
        let calls = Mutex<[String]>([])
        let decryptor = SopsDecryptor { (bytes, name, input, output) throws(CloakError) -> SecretBytes in
            calls.withLock { $0.append("\(String(decoding: bytes, as: UTF8.self)) \(Path.basename(name)) \(input)->\(output)") }
            var plain = Array((output == "yaml" ? "db:\n  password: pw\n  port: 5432\n" : "{\"x\": 1}").utf8)
            return SecretBytes(consuming: &plain)
        }
        var registry = RefRegistry.local()
        registry.register("sops", SopsRefProvider(decryptor: decryptor))
        let r = RefResolver(registry: registry)
        #expect(try r.resolve(text: "ref+sops://\(repo.root)/s.enc.yaml").scalarText == "db:\n  password: pw\n  port: 5432\n")
        #expect(try r.resolve(text: "ref+sops://\(repo.root)/s.enc.yaml#/db/port").scalarValue == .int(5432))
        #expect(try r.resolve(text: "ref+sops://\(repo.root)/s.enc.json").scalarText == "{\"x\": 1}")
        #expect(try r.resolve(text: "ref+sops://\(repo.root)/s.enc.json?format=json#/db/password").scalarText == "pw")
        let data = Base64.encode(Array("INLINE".utf8), alphabet: .url)
        #expect(try r.resolve(text: "ref+sops://\(data)?key_type=base64").scalarText == "{\"x\": 1}")
        #expect(try r.resolve(text: "ref+sops://\(data)?key_type=base64#/db/password").scalarText == "pw")
        #expect(calls.withLock { $0 } == [
            "ENCRYPTED s.enc.yaml yaml->yaml",
            "ENCRYPTED s.enc.yaml yaml->yaml",
            "ENCJSON s.enc.json json->json",
            "ENCJSON s.enc.json json->yaml",
            "INLINE inline sops data binary->binary",
            "INLINE inline sops data yaml->yaml",
        ])
        let bad = captureError { _ = try r.resolve(text: "ref+sops://\(repo.root)/s.enc.yaml?key_type=kms") }
        #expect(bad?.message == "cannot resolve ref+sops reference: sops: unsupported key_type=kms (filepath or base64)")
    }

    @Test func registryErrorsAndLocalFlags() {
        var registry = RefRegistry.local()
        registry.markUnavailable("vault")
        #expect(captureError { _ = try registry.provider(for: "vault") }?.message == "backend vault is not available in this build yet")
        #expect(captureError { _ = try registry.provider(for: "ecoh") }?.message.contains("did you mean \"echo\"") == true)
        #expect(registry.schemes == ["echo", "envsubst", "file"])
        #expect((try? registry.provider(for: "file"))?.isLocal == true)
    }
}
