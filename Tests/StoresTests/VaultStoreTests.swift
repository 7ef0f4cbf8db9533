import Core
import Sops
import Synchronization
import Testing
import YAML

@testable import Stores

@Suite struct VaultStoreTests {
    static let instance = SecretCoordinate(stack: "plat-ue2-dev", component: "api", key: "TOKEN")

    func store(
        _ t: ScriptedTransport, env: [String: String] = ["VAULT_TOKEN": "root-token"],
        _ edit: (inout VaultStoreOptions) -> Void = { _ in }
    ) -> VaultStore {
        var o = VaultStoreOptions(name: "vault", address: "http://127.0.0.1:9/", mount: "/secret/")
        edit(&o)
        return VaultStore(
            options: o, context: RESTContext(environment: testEnvironment(env), transport: t, clock: FakeClock()))
    }

    @Test func pathsKeepTheStackWholeAndSkipEmptySegments() {
        let s = store(ScriptedTransport())
        #expect(s.secretPath(Self.instance) == "plat-ue2-dev/api/TOKEN")
        #expect(s.secretPath(SecretCoordinate(stack: "dev", component: "", key: "K")) == "dev/K")
        #expect(s.secretPath(SecretCoordinate(stack: "", component: "", key: "K")) == "K")
        let p = store(ScriptedTransport()) {
            $0.prefix = "atmos"
            $0.stackDelimiter = "-"
        }
        #expect(p.secretPath(Self.instance) == "atmos/plat/ue2/dev/api/TOKEN")
    }

    @Test func setWritesValueFieldWithTokenAndNamespace() throws {
        let t = ScriptedTransport()
        try store(t) { $0.namespace = "team-a" }.set(Self.instance, .text(StoresFixtures.secret("s3\"cr")))
        let r = t.sent.withLock { $0[0] }
        #expect(r.method == "POST")
        #expect(r.url == "http://127.0.0.1:9/v1/secret/data/plat-ue2-dev/api/TOKEN")
        #expect(r.header("X-Vault-Token") == "root-token")
        #expect(r.header("X-Vault-Namespace") == "team-a")
        #expect(t.body(0) == #"{"data":{"value":"s3\"cr"}}"#)
        try store(t).set(Self.instance, .json(StoresFixtures.secret(#"{"a":[1,2]}"#)))
        #expect(t.body(1) == #"{"data":{"value":{"a":[1,2]}}}"#)
    }

    @Test func getReadsValueOrTheWholeMap() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(200, #"{"data":{"data":{"value":"v1"},"metadata":{"version":3}}}"#),
            ScriptedTransport.json(200, #"{"data":{"data":{"user":"u","pw":"p\u0041"}}}"#),
            ScriptedTransport.json(200, #"{"data":{"data":{"value":{"n":1.5e3}}}}"#),
        ])
        let s = store(t)
        let a = try s.get(Self.instance)
        #expect(!a.isJSON && a.bytes.unsafeString() == "v1")
        let b = try s.get(Self.instance)
        #expect(b.isJSON && b.bytes.unsafeString() == #"{"user":"u","pw":"p\u0041"}"#)
        let c = try s.get(Self.instance)
        #expect(c.isJSON && c.bytes.unsafeString() == #"{"n":1.5e3}"#)
    }

    @Test func missingIsNotInitializedAnd403IsOneLineWithoutBody() {
        let t = ScriptedTransport([
            ScriptedTransport.json(404, #"{"errors":[]}"#),
            ScriptedTransport.json(403, #"{"errors":["permission denied leaky"]}"#),
        ])
        let s = store(t)
        #expect { _ = try s.get(Self.instance) } throws: { e in
            (e as? CloakError)?.code == .notInitialized
        }
        #expect { _ = try s.get(Self.instance) } throws: { e in
            guard let e = e as? CloakError else { return false }
            return e.message == #"vault read "/secret//plat-ue2-dev/api/TOKEN": permission denied (HTTP 403)"#
                && !e.message.contains("leaky")
        }
    }

    @Test func existsChecksTheCurrentVersion() throws {
        let live =
            #"{"data":{"current_version":2,"versions":{"1":{"deletion_time":"x","destroyed":false},"2":{"deletion_time":"","destroyed":false}}}}"#
        let soft =
            #"{"data":{"current_version":2,"versions":{"2":{"deletion_time":"2026-01-01T00:00:00Z","destroyed":false}}}}"#
        let t = ScriptedTransport([
            ScriptedTransport.json(200, live), ScriptedTransport.json(200, soft), ScriptedTransport.json(404, "{}"),
        ])
        let s = store(t)
        #expect(try s.exists(Self.instance))
        #expect(try !s.exists(Self.instance))
        #expect(try !s.exists(Self.instance))
        #expect(t.sent.withLock { $0[0].url } == "http://127.0.0.1:9/v1/secret/metadata/plat-ue2-dev/api/TOKEN")
    }

    @Test func deleteRemovesMetadataAndMissingIsNotFound() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(200, #"{"data":{"current_version":1,"versions":{"1":{"deletion_time":""}}}}"#),
            ScriptedTransport.json(204, ""),
            ScriptedTransport.json(404, "{}"),
        ])
        let s = store(t)
        try s.delete(Self.instance)
        #expect(
            t.sent.withLock { ($0[1].method, $0[1].url) } == (
                "DELETE", "http://127.0.0.1:9/v1/secret/metadata/plat-ue2-dev/api/TOKEN"
            ))
        #expect { try s.delete(Self.instance) } throws: { e in (e as? CloakError)?.code == .notFound }
    }

    @Test func appRoleLogsInOnceAndUsesTheClientToken() throws {
        let t = ScriptedTransport(fallback: { req in
            if req.url.hasSuffix("/v1/auth/approle/login") {
                return .success(
                    HTTPResponse(status: 200, text: #"{"auth":{"client_token":"s.login","lease_duration":3600}}"#))
            }
            return .success(HTTPResponse(status: 200, text: #"{"data":{"data":{"value":"v"}}}"#))
        })
        let s = store(t, env: ["CI_SID": "sid-1"]) {
            $0.auth = .appRole(mount: "approle", roleId: "rid", secretId: nil, secretIdEnv: "CI_SID")
        }
        _ = try s.get(Self.instance)
        _ = try s.get(Self.instance)
        #expect(t.count == 3)
        #expect(t.body(0) == #"{"role_id":"rid","secret_id":"sid-1"}"#)
        #expect(t.sent.withLock { $0[2].header("X-Vault-Token") } == "s.login")
    }

    @Test func noTokenIsAConfigError() {
        let s = store(ScriptedTransport(), env: [:])
        #expect { _ = try s.get(Self.instance) } throws: { e in
            (e as? CloakError)?.message.hasPrefix("no Vault token") == true
        }
    }

    @Test func optionsParseAddressMountAndAuth() throws {
        let yaml = try YAMLLoader.loadSingle(
            "mount: kv\nprefix: p\nnamespace: ns\nauth:\n  method: jwt\n  role: ci\n  jwt_env: CI_JWT\n",
            file: "atmos.yaml")
        let o = try VaultStoreOptions.parse(
            name: "v", options: yaml, environment: testEnvironment(["VAULT_ADDR": "https://v:8200"]))
        #expect(o.address == "https://v:8200" && o.mount == "kv" && o.prefix == "p" && o.namespace == "ns")
        #expect(o.auth == .jwt(mount: "jwt", role: "ci", jwtFile: nil, jwtEnv: "CI_JWT"))
        let noMount = try YAMLLoader.loadSingle("url: http://x\n", file: "atmos.yaml")
        #expect {
            _ = try VaultStoreOptions.parse(name: "v", options: noMount, environment: testEnvironment())
        } throws: { e in
            (e as? CloakError)?.message == "store \"v\": options.mount or path is required"
        }
    }

    @Test func transitEntryFromSopsURI() {
        let e = VaultTransitKeyService.entry(uri: "http://127.0.0.1:8200/v1/sops/transit/keys/my-key")
        #expect(
            e?.fields == [
                "vault_address": "http://127.0.0.1:8200", "engine_path": "sops/transit", "key_name": "my-key",
            ])
    }

    @Test func transitDecryptUnwrapsBase64Plaintext() throws {
        let t = ScriptedTransport([ScriptedTransport.json(200, #"{"data":{"plaintext":"AAECAw=="}}"#)])
        let svc = VaultTransitKeyService(
            context: RESTContext(environment: testEnvironment(["VAULT_TOKEN": "t"]), transport: t, clock: FakeClock()))
        let key = try svc.decrypt(
            entry: .init(
                type: "hc_vault",
                fields: [
                    "vault_address": "http://v:8200", "engine_path": "transit", "key_name": "sops",
                    "enc": "vault:v1:abc",
                ]))
        #expect(key.isEqual(to: [0, 1, 2, 3]))
        #expect(t.sent.withLock { $0[0].url } == "http://v:8200/v1/transit/decrypt/sops")
        #expect(t.body(0) == #"{"ciphertext":"vault:v1:abc"}"#)
    }
}

@Suite struct ParallelGetsTests {
    @Test func keepsOrderAndShortCircuitsConfigErrors() {
        let cs = (0..<9).map { SecretCoordinate(stack: "", component: "", key: "K\($0)") }
        let r = ParallelGets.run(cs) { (c) throws(CloakError) -> SecretValue in
            if c.key == "K4" { throw CloakError(.notInitialized, "missing") }
            return .text(StoresFixtures.secret(c.key))
        }
        #expect(r.count == 9)
        #expect((try? r[8].get().bytes.unsafeString()) == "K8")
        if case .failure(let e) = r[4] { #expect(e.code == .notInitialized) } else { Issue.record("K4 should fail") }
        let calls = Mutex(0)
        let all = ParallelGets.run(cs) { (_) throws(CloakError) -> SecretValue in
            calls.withLock { $0 += 1 }
            throw CloakError(.config, "no token")
        }
        #expect(all.count == 9 && calls.withLock { $0 } == 1)
    }
}

@Suite struct VaultReloginTests {
    @Test func a403WithALoginTokenLogsInAgainOnce() throws {
        let logins = Mutex(0)
        let t = ScriptedTransport(fallback: { req in
            if req.url.hasSuffix("/login") {
                let n = logins.withLock { v -> Int in
                    v += 1
                    return v
                }
                return .success(HTTPResponse(status: 200, text: #"{"auth":{"client_token":"s.\#(n)","lease_duration":0}}"#))
            }
            if req.header("X-Vault-Token") == "s.1" { return .success(HTTPResponse(status: 403, text: "{}")) }
            return .success(HTTPResponse(status: 200, text: #"{"data":{"data":{"value":"v"}}}"#))
        })
        var o = VaultStoreOptions(name: "vault", address: "http://127.0.0.1:9", mount: "kv")
        o.auth = .jwt(mount: "jwt", role: "ci", jwtFile: nil, jwtEnv: "JWT")
        let s = VaultStore(
            options: o, context: RESTContext(environment: testEnvironment(["JWT": "a.b.c"]), transport: t, clock: FakeClock()))
        #expect(try s.get(SecretCoordinate(stack: "", component: "", key: "K")).bytes.unsafeString() == "v")
        #expect(logins.withLock { $0 } == 2)
        #expect(t.count == 4)
    }
}
