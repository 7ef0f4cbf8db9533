import CSodium
import Core
import Synchronization
import Testing
import YAML

@testable import Stores

@Suite struct GitHubActionsStoreTests {
    func store(
        _ t: ScriptedTransport, env: [String: String] = ["GITHUB_TOKEN": "gh-token"],
        _ edit: (inout GitHubActionsStoreOptions) -> Void = { _ in }
    ) throws -> GitHubActionsStore {
        var o = try GitHubActionsStoreOptions.parse(
            name: "gh", options: .mapping(["owner": .string("acme"), "repo": .string("infra")]),
            environment: testEnvironment(env))
        o.apiURL = "http://127.0.0.1:9/"
        edit(&o)
        return GitHubActionsStore(
            options: o, context: RESTContext(environment: testEnvironment(env), transport: t, clock: FakeClock()))
    }

    static let c = SecretCoordinate(stack: "dev", component: "api", key: "api-key")

    @Test func setSealsTheValueToTheRepositoryKey() throws {
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 32)
        _ = sodium_init()
        crypto_box_keypair(&pk, &sk)
        let key = Base64.encode(pk)
        let t = ScriptedTransport([
            ScriptedTransport.json(200, #"{"key_id":"k-42","key":"\#(key)"}"#),
            ScriptedTransport.json(201, "{}"),
        ])
        try store(t) { $0.prefix = "cloak" }.set(Self.c, .text(StoresFixtures.secret("s3cr3t value")))
        let sent = t.sent.withLock { $0 }
        #expect(sent.count == 2)
        #expect(sent[0].method == "GET" && sent[0].url == "http://127.0.0.1:9/repos/acme/infra/actions/secrets/public-key")
        #expect(sent[1].method == "PUT" && sent[1].url == "http://127.0.0.1:9/repos/acme/infra/actions/secrets/CLOAK_API_KEY")
        #expect(sent[1].header("Authorization") == "Bearer gh-token")
        let body = t.body(1)
        #expect(body.contains(#""key_id":"k-42""#))
        #expect(!body.contains("s3cr3t"))
        // The uploaded box opens with the repository's secret key to exactly the value.
        let b64 = body.split(separator: "\"")[3]
        let sealed = try #require(Base64.decode(String(b64)))
        var opened = [UInt8](repeating: 0, count: sealed.count - Int(crypto_box_sealbytes()))
        #expect(crypto_box_seal_open(&opened, sealed, UInt64(sealed.count), pk, sk) == 0)
        #expect(String(decoding: opened, as: UTF8.self) == "s3cr3t value")
    }

    @Test func environmentSecretsUseTheEnvironmentPaths() throws {
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 32)
        crypto_box_keypair(&pk, &sk)
        let t = ScriptedTransport([
            ScriptedTransport.json(200, #"{"key_id":"e1","key":"\#(Base64.encode(pk))"}"#), ScriptedTransport.json(204, ""),
        ])
        try store(t) { $0.environment = "prod west" }.set(Self.c, .text(StoresFixtures.secret("v")))
        let urls = t.sent.withLock { $0.map(\.url) }
        #expect(urls == [
            "http://127.0.0.1:9/repos/acme/infra/environments/prod%20west/secrets/public-key",
            "http://127.0.0.1:9/repos/acme/infra/environments/prod%20west/secrets/API_KEY",
        ])
    }

    @Test func readsOnlyInsideAWorkflowRun() throws {
        let outside = try store(ScriptedTransport(), env: ["GITHUB_TOKEN": "t", "API_KEY": "v"])
        #expect(throws: CloakError.self) { _ = try outside.get(Self.c) }
        let inside = try store(ScriptedTransport(), env: ["GITHUB_ACTIONS": "true", "API_KEY": "{\"a\":1}"])
        guard case .json(let v) = try inside.get(Self.c) else { Issue.record("not JSON"); return }
        #expect(v.unsafeString() == "{\"a\":1}")
        #expect(inside.isLocal)
        #expect(try inside.exists(Self.c))
        let missing = try store(ScriptedTransport(), env: ["GITHUB_ACTIONS": "true"])
        do {
            _ = try missing.get(Self.c)
            Issue.record("a missing variable was read")
        } catch {
            #expect(error.code == .notInitialized)
            #expect(error.message.contains("secrets.API_KEY"))
        }
    }

    @Test func reservedAndInvalidNamesAreRefused() throws {
        let s = try store(ScriptedTransport())
        #expect(throws: CloakError.self) { _ = try s.secretName(SecretCoordinate(stack: "", component: "", key: "github_pat")) }
        #expect(throws: CloakError.self) { _ = try s.secretName(SecretCoordinate(stack: "", component: "", key: "9lives")) }
        #expect(try s.secretName(SecretCoordinate(stack: "x", component: "y", key: "db.pass-word")) == "DB_PASS_WORD")
    }
}
