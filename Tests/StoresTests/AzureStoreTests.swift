import Core
import Synchronization
import Testing

@testable import Stores

@Suite struct AzureStoreTests {
    static let c = SecretCoordinate(stack: "dev", component: "api", key: "DATADOG_API_KEY")

    @Test func challengeParsing() {
        let a = AzureChallenge.parse(
            #"Bearer authorization="https://login.microsoftonline.com/tid-1", resource="https://vault.azure.net""#)
        #expect(
            a
                == AzureChallenge(
                    authorization: "https://login.microsoftonline.com/tid-1", scope: "https://vault.azure.net/.default",
                    resource: "https://vault.azure.net"))
        #expect(a?.tenant == "tid-1")
        let b = AzureChallenge.parse(
            #"Bearer authorization="https://login.microsoftonline.com/t2",scope="https://vault.azure.net/.default""#)
        #expect(b?.resource == "https://vault.azure.net")
        #expect(AzureChallenge.parse("Basic realm=x") == nil)
        #expect(a!.resourceMatches(vaultURL: "https://myvault.vault.azure.net"))
        #expect(!a!.resourceMatches(vaultURL: "https://127.0.0.1:8443"))
        #expect(!a!.resourceMatches(vaultURL: "https://evilvault.azure.net"))
    }

    @Test func challengeThenTokenThenRetryAndReuse() throws {
        let t = ScriptedTransport(fallback: { req in
            if req.url.contains("/oauth2/v2.0/token") {
                return .success(HTTPResponse(status: 200, text: #"{"access_token":"aad-tok","expires_in":3599}"#))
            }
            guard req.header("Authorization") == "Bearer aad-tok" else {
                return .success(
                    HTTPResponse(
                        status: 401,
                        headers: [
                            "www-authenticate":
                                #"Bearer authorization="https://login.example/tid", resource="https://vault.azure.net""#
                        ],
                        text: "{}"))
            }
            return .success(HTTPResponse(status: 200, text: #"{"value":"\"dd\"","id":"x"}"#))
        })
        var o = AzureStoreOptions(name: "akv", vaultURL: "https://kv1.vault.azure.net/")
        o.apiVersion = "2026-04-01"
        let s = AzureKeyVaultStore(
            options: o,
            context: RESTContext(
                environment: testEnvironment(["AZURE_CLIENT_ID": "cid", "AZURE_CLIENT_SECRET": "sec"]), transport: t,
                clock: FakeClock()))
        #expect(s.secretName(Self.c) == "dev-api-DATADOG-API-KEY")
        #expect(try s.get(Self.c).bytes.unsafeString() == "dd")
        #expect(try s.get(Self.c).bytes.unsafeString() == "dd")
        let sent = t.sent.withLock { $0.map { ($0.url, $0.header("Authorization")) } }
        #expect(sent.count == 4)
        #expect(sent[0].0 == "https://kv1.vault.azure.net/secrets/dev-api-DATADOG-API-KEY/?api-version=2026-04-01")
        #expect(sent[0].1 == nil)
        #expect(sent[1].0 == "https://login.example/tid/oauth2/v2.0/token")
        #expect(t.body(1).contains("scope=https%3A%2F%2Fvault.azure.net%2F.default"))
        #expect(sent[2].1 == "Bearer aad-tok" && sent[3].1 == "Bearer aad-tok")
    }

    @Test func setWritesJSONEncodedValueAndConflictIsOneLine() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(200, "{}"), ScriptedTransport.json(409, #"{"error":{"code":"Conflict"}}"#),
        ])
        var o = AzureStoreOptions(name: "akv", vaultURL: "https://kv1.vault.azure.net")
        o.withoutAuthentication = true
        let s = AzureKeyVaultStore(
            options: o, context: RESTContext(environment: testEnvironment(), transport: t, clock: FakeClock()))
        try s.set(Self.c, .text(StoresFixtures.secret("v")))
        #expect(t.body(0) == #"{"value":"\"v\"","contentType":"application/json"}"#)
        #expect(t.sent.withLock { $0[0].method } == "PUT")
        #expect { try s.set(Self.c, .text(StoresFixtures.secret("v"))) } throws: { e in
            (e as? CloakError)?.message.contains("deleted but recoverable") == true
        }
    }

    @Test func tokensAreNotSentOverPlainHTTP() {
        let t = ScriptedTransport([
            ScriptedTransport.json(
                401, "{}", headers: ["www-authenticate": #"Bearer authorization="https://l/t", resource="https://x""#])
        ])
        var o = AzureStoreOptions(name: "akv", vaultURL: "http://127.0.0.1:9")
        o.disableChallengeResourceVerification = true
        let s = AzureKeyVaultStore(
            options: o, context: RESTContext(environment: testEnvironment(), transport: t, clock: FakeClock()))
        #expect { _ = try s.get(Self.c) } throws: { e in (e as? CloakError)?.message.contains("plain HTTP") == true }
    }
}
