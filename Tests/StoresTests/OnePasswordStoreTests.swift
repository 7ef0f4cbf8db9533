import Core
import Synchronization
import Testing

@testable import Stores

@Suite struct OnePasswordStoreTests {
    @Test func referenceParsing() throws {
        #expect(
            try OnePasswordReference.parse("op://V/item/field", defaultVault: nil, store: "op")
                == OnePasswordReference(vault: "V", item: "item", section: nil, field: "field"))
        #expect(
            try OnePasswordReference.parse("item/sec/f", defaultVault: "Infra", store: "op")
                == OnePasswordReference(vault: "Infra", item: "item", section: "sec", field: "f"))
        #expect(
            try OnePasswordReference.parse("TOKEN", defaultVault: "Infra", store: "op").description
                == "op://Infra/TOKEN/credential")
        #expect { _ = try OnePasswordReference.parse("TOKEN", defaultVault: nil, store: "op") } throws: { e in
            (e as? CloakError)?.message.contains("options.vault is not set") == true
        }
        #expect { _ = try OnePasswordReference.parse("op://V//f", defaultVault: nil, store: "op") } throws: { _ in true
        }
    }

    @Test func filterIsQuotedAndEncoded() {
        #expect(OnePasswordConnectClient.filter("title", #"a "b""#) == "?filter=title%20eq%20%22a%20%5C%22b%5C%22%22")
    }

    func store(_ t: ScriptedTransport, render: OnePasswordStore.Renderer? = nil) -> OnePasswordStore {
        var o = OnePasswordStoreOptions(name: "op")
        o.connectHost = "http://127.0.0.1:9"
        o.connectToken = StoresFixtures.secret("ct")
        o.vault = "Infra"
        return OnePasswordStore(
            options: o, context: RESTContext(environment: testEnvironment(), transport: t, clock: FakeClock()),
            render: render)
    }

    @Test func templatesNeedARenderer() throws {
        let c = SecretCoordinate(stack: "dev", component: "api", key: "op://Infra/{{ .atmos_stack }}/f")
        #expect { _ = try store(ScriptedTransport()).reference(c) } throws: { e in
            (e as? CloakError)?.message.contains("cannot be rendered here") == true
        }
        let s = store(ScriptedTransport()) { (t, c) throws(CloakError) -> String in
            t.replacingAll("{{ .atmos_stack }}", c.stack)
        }
        #expect(try s.reference(c).item == "dev")
    }

    @Test func setCreatesAnAPICredentialItemWithAConcealedField() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(200, #"[{"id":"vid1","name":"Infra"}]"#),
            ScriptedTransport.json(200, "[]"),
            ScriptedTransport.json(200, "{}"),
        ])
        try store(t).set(SecretCoordinate(stack: "", component: "", key: "app/pw"), .text(StoresFixtures.secret("s3")))
        let urls = t.sent.withLock { $0.map { "\($0.method) \($0.url)" } }
        #expect(
            urls == [
                "GET http://127.0.0.1:9/v1/vaults?filter=name%20eq%20%22Infra%22",
                "GET http://127.0.0.1:9/v1/vaults/vid1/items?filter=title%20eq%20%22app%22",
                "POST http://127.0.0.1:9/v1/vaults/vid1/items",
            ])
        #expect(
            t.body(2)
                == #"{"vault":{"id":"vid1"},"title":"app","category":"API_CREDENTIAL","fields":[{"label":"pw","type":"CONCEALED","value":"s3"}]}"#
        )
        #expect(t.sent.withLock { $0[0].header("Authorization") } == "Bearer ct")
    }

    @Test func serviceAccountModeIsAClearError() {
        var o = OnePasswordStoreOptions(name: "op")
        o.hasServiceAccountToken = true
        o.vault = "V"
        let s = OnePasswordStore(
            options: o, context: RESTContext(environment: testEnvironment(), transport: ScriptedTransport()))
        #expect { _ = try s.get(SecretCoordinate(stack: "", component: "", key: "K")) } throws: { e in
            (e as? CloakError)?.message.contains("service-account mode is not supported") == true
        }
    }
}
