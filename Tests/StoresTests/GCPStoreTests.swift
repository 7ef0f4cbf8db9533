import Core
import Sops
import Synchronization
import Testing

@testable import Stores

@Suite struct GCPStoreTests {
    static let c = SecretCoordinate(stack: "dev-usw2", component: "app/service", key: "config/key")

    func store(_ t: ScriptedTransport, _ edit: (inout GCPStoreOptions) -> Void = { _ in }) -> GCPSecretManagerStore {
        var o = GCPStoreOptions(name: "gsm", projectId: "p1")
        o.prefix = "test-prefix"
        o.endpoint = "http://127.0.0.1:9"
        edit(&o)
        return GCPSecretManagerStore(
            options: o,
            context: RESTContext(
                environment: testEnvironment(["GOOGLE_OAUTH_ACCESS_TOKEN": "tok"]), transport: t, clock: FakeClock()))
    }

    @Test func crc32cKnownVector() {
        let v = Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) }
        #expect(v == 0xE306_9283)
    }

    @Test func secretIdsAndURLs() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(
                200, #"{"name":"x","payload":{"data":"ImFiYyI=","dataCrc32c":"\#(crc("\"abc\""))"}}"#)
        ])
        let s = store(t)
        #expect(s.secretId(Self.c) == "test-prefix_dev_usw2_app_service_config_key")
        let v = try s.get(Self.c)
        #expect(!v.isJSON && v.bytes.unsafeString() == "abc")
        let r = t.sent.withLock { $0[0] }
        #expect(r.method == "GET")
        #expect(
            r.url
                == "http://127.0.0.1:9/v1/projects/p1/secrets/test-prefix_dev_usw2_app_service_config_key/versions/latest:access"
        )
        #expect(r.header("Authorization") == "Bearer tok")
        let regional = store(ScriptedTransport()) {
            $0.location = "europe-west1"
            $0.endpoint = nil
        }
        #expect(
            regional.collection
                == "https://secretmanager.europe-west1.rep.googleapis.com/v1/projects/p1/locations/europe-west1/secrets"
        )
    }

    func crc(_ s: String) -> UInt32 { Array(s.utf8).withUnsafeBytes { CRC32C.checksum($0) } }

    @Test func checksumMismatchIsRejected() {
        let t = ScriptedTransport([ScriptedTransport.json(200, #"{"payload":{"data":"ImFiYyI=","dataCrc32c":"1"}}"#)])
        #expect { _ = try store(t).get(Self.c) } throws: { e in
            (e as? CloakError)?.message.contains("checksum does not match") == true
        }
    }

    @Test func setCreatesTheSecretWhenAddVersionSays404() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(404, #"{"error":{"code":404}}"#), ScriptedTransport.json(200, "{}"),
            ScriptedTransport.json(200, "{}"),
        ])
        try store(t) { $0.locations = ["us-east1", "europe-west1"] }.set(Self.c, .text(StoresFixtures.secret("abc")))
        #expect(t.count == 3)
        #expect(
            t.sent.withLock { $0[1].url }
                == "http://127.0.0.1:9/v1/projects/p1/secrets?secretId=test-prefix_dev_usw2_app_service_config_key")
        #expect(
            t.body(1)
                == #"{"replication":{"userManaged":{"replicas":[{"location":"us-east1"},{"location":"europe-west1"}]}}}"#
        )
        #expect(t.body(2) == #"{"payload":{"data":"ImFiYyI=","dataCrc32c":"\#(crc("\"abc\""))"}}"#)
    }

    @Test func deleteMissingIsAnErrorAndExistsReadsVersionState() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(404, "{}"), ScriptedTransport.json(200, #"{"state":"DISABLED"}"#),
            ScriptedTransport.json(404, "{}"),
        ])
        let s = store(t)
        #expect { try s.delete(Self.c) } throws: { e in (e as? CloakError)?.code == .notFound }
        #expect(try !s.exists(Self.c))
        #expect(try !s.exists(Self.c))
    }

    @Test func rs256MatchesOpenSSL() throws {
        let pem = StoresFixtures.secret(try StoresFixtures.text("gcp/test-rsa.pem"))
        let sig = try RSASigner.signRS256(pemPrivateKey: pem, message: Array("header.claims".utf8))
        let hex = sig.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
        #expect(hex == (try StoresFixtures.text("gcp/test-rsa.sig.hex")))
        #expect { _ = try RSASigner.signRS256(pemPrivateKey: StoresFixtures.secret("nope"), message: []) } throws: {
            e in
            (e as? CloakError)?.message == "the private key is not a PEM private key"
        }
    }

    @Test func serviceAccountJWTIsExchangedOnceAndCached() throws {
        let pem = try StoresFixtures.text("gcp/test-rsa.pem")
        let escaped = pem.split(separator: "\n").joined(separator: "\\n")
        let sa =
            #"{"type":"service_account","client_email":"sa@p1.iam.gserviceaccount.com","private_key":"\#(escaped)","token_uri":"http://127.0.0.1:9/token"}"#
        let t = ScriptedTransport(fallback: { req in
            if req.url.hasSuffix("/token") {
                return .success(HTTPResponse(status: 200, text: #"{"access_token":"ya29.x","expires_in":3600}"#))
            }
            return .success(HTTPResponse(status: 200, text: #"{"state":"ENABLED"}"#))
        })
        let s = GCPSecretManagerStore(
            options: {
                var o = GCPStoreOptions(name: "g", projectId: "p1")
                o.endpoint = "http://127.0.0.1:9"
                o.credentials = sa
                return o
            }(),
            context: RESTContext(
                environment: testEnvironment(), transport: t, clock: FakeClock(), now: { 1_700_000_000 }))
        #expect(try s.exists(Self.c))
        #expect(try s.exists(Self.c))
        #expect(t.count == 3)
        let form = t.body(0)
        #expect(form.hasPrefix("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="))
        let jwt = String(form.split(separator: "=").last!)
        #expect(jwt.split(separator: ".").count == 3)
        #expect(t.sent.withLock { $0[1].header("Authorization") } == "Bearer ya29.x")
    }
}

@Suite struct CloudKMSKeyServiceTests {
    @Test func gcpKMSWrapsBase64AndHonoursTheEndpointOverride() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(200, #"{"name":"k","ciphertext":"Q1Q="}"#),
            ScriptedTransport.json(200, #"{"plaintext":"AAECAw=="}"#),
        ])
        let svc = GCPKMSKeyService(
            context: RESTContext(
                environment: testEnvironment([
                    "GOOGLE_OAUTH_ACCESS_TOKEN": "tok",
                    "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS": "http://127.0.0.1:9/",
                ]),
                transport: t, clock: FakeClock(), now: { 1_700_000_000 }))
        let rid = "projects/p/locations/global/keyRings/r/cryptoKeys/k"
        let entry = try svc.encrypt(
            dataKey: StoresFixtures.secret("\u{0}\u{1}\u{2}\u{3}"),
            for: .init(type: "gcp_kms", fields: ["resource_id": rid]))
        #expect(entry.encryptedKey == "Q1Q=")
        #expect(t.sent.withLock { $0[0].url } == "http://127.0.0.1:9/v1/\(rid):encrypt")
        #expect(t.body(0) == #"{"plaintext":"AAECAw=="}"#)
        #expect(try svc.decrypt(entry: entry).isEqual(to: [0, 1, 2, 3]))
        #expect(t.body(1) == #"{"ciphertext":"Q1Q="}"#)
    }

    @Test func azureKVUsesRSAOAEP256AndBase64URL() throws {
        let challenge = #"Bearer authorization="https://login.example/tid", resource="https://vault.azure.net""#
        let t = ScriptedTransport([
            ScriptedTransport.json(401, "{}", headers: ["www-authenticate": challenge]),
            ScriptedTransport.json(200, #"{"access_token":"aad","expires_in":3600}"#),
            ScriptedTransport.json(200, #"{"kid":"x","value":"_-8"}"#),
        ])
        let env = ["AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s"]
        let svc = AzureKVKeyService(
            context: RESTContext(environment: testEnvironment(env), transport: t, clock: FakeClock()))
        let key = try svc.decrypt(
            entry: .init(
                type: "azure_kv",
                fields: [
                    "vault_url": "https://kv.vault.azure.net", "name": "sops", "version": "", "enc": "abc_-",
                ]))
        #expect(key.isEqual(to: [0xFF, 0xEF]))
        #expect(t.sent.withLock { $0[0].url } == "https://kv.vault.azure.net/keys/sops//decrypt?api-version=7.4")
        #expect(t.body(0) == "")
        #expect(t.sent.withLock { $0[1].url } == "https://login.example/tid/oauth2/v2.0/token")
        #expect(t.body(2) == #"{"alg":"RSA-OAEP-256","value":"abc_-"}"#)
        #expect(t.sent.withLock { $0[2].header("Authorization") } == "Bearer aad")
    }
}
