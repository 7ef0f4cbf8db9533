import Core
import Resolve
import Synchronization
import Testing
import YAML

@Suite struct StoreFunctionParsingTests {
    @Test func parsesEveryArgumentForm() throws {
        let three = try StoreFunction(tag: "!store", parsing: "outputs vpc vpc_id")
        #expect(three.store == "outputs")
        #expect(three.target == .composed(stack: nil, component: "vpc", key: "vpc_id"))
        #expect(three.defaultValue == nil && three.query == nil)
        let four = try StoreFunction(tag: "!store", parsing: "  outputs  plat-ue2-prod vpc/main vpc_id  ")
        #expect(four.target == .composed(stack: "plat-ue2-prod", component: "vpc/main", key: "vpc_id"))
        let get = try StoreFunction(tag: "!store.get", parsing: "outputs /global/endpoint | default 'a b' | query .x")
        #expect(get.target == .raw("/global/endpoint"))
        #expect(get.defaultValue == "a b")
        #expect(get.query == ".x")
        let quoted = try StoreFunction(tag: "!store.get", parsing: "outputs \"key with space\" | default \"\"")
        #expect(quoted.target == .raw("key with space"))
        #expect(quoted.defaultValue == "")
    }

    @Test(arguments: [
        ("!store", "outputs vpc_id", "invalid !store arguments: got 2, expected !store STORE [STACK] COMPONENT KEY [| default VALUE] [| query EXPR]"),
        ("!store", "a b c d e", "invalid !store arguments: got 5, expected !store STORE [STACK] COMPONENT KEY [| default VALUE] [| query EXPR]"),
        ("!store", "", "invalid !store arguments: got 0, expected !store STORE [STACK] COMPONENT KEY [| default VALUE] [| query EXPR]"),
        ("!store.get", "outputs a b", "invalid !store.get arguments: got 3, expected !store.get STORE KEY [| default VALUE] [| query EXPR]"),
        ("!store.get", "outputs k | default", "invalid !store.get modifier \"default\": expected `default VALUE` or `query EXPR`"),
        ("!store.get", "outputs k | path .a", "invalid !store.get modifier \"path .a\": expected `default VALUE` or `query EXPR`"),
        ("!store", "s c k | query ''", "invalid !store modifier: query needs an expression"),
    ])
    func rejects(tag: String, text: String, message: String) {
        #expect(captureError { _ = try StoreFunction(tag: tag, parsing: text) }?.message == message)
    }
}

/// An in-memory store: keys composed as `prefix/stack/component/key`, every read call recorded.
final class MemoryKeyStore: StoreKeyReader {
    let values: [String: String]
    let calls = Mutex<[[String]]>([])

    init(_ values: [String: String]) { self.values = values }

    func keyName(_ c: SecretCoordinate) -> String { "/p/\(c.stack)/\(c.component)/\(c.key)" }

    func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        calls.withLock { $0.append(names) }
        return names.map { (n) -> Result<SecretValue, CloakError> in
            guard let v = values[n] else { return .failure(CloakError(.notInitialized, "missing \(n)")) }
            var bytes = Array(v.utf8)
            let b = SecretBytes(consuming: &bytes)
            return .success(v.hasPrefix("{") ? .json(b) : .text(b))
        }
    }
}

@Suite struct StoreFunctionResolverTests {
    static let storesYAML = """
        outputs: {kind: aws/ssm}
        other: {type: aws-secrets-manager}
        secrets: {kind: aws/asm, secret: true}
        cache: {kind: example/queue}
        vault: {kind: hashicorp/vault}
        """

    /// How many readers a resolver built.
    final class Count { var n = 0 }

    func resolver(_ store: MemoryKeyStore, built: Count? = nil) throws -> StoreFunctionResolver {
        let stores = try StoreConfig.parseAll(try YAMLLoader.loadSingle(Self.storesYAML, file: "atmos.yaml"))
        return StoreFunctionResolver(stack: "dev", component: "app", stores: stores) { (_) throws(CloakError) -> any StoreKeyReader in
            built?.n += 1
            return store
        }
    }

    @Test func resolvesComposedRawDefaultsAndQueriesInOneBatchPerStore() throws {
        let store = MemoryKeyStore([
            "/p/dev/vpc/id": "vpc-1", "/p/prod/vpc/id": "vpc-2", "/raw/key": "raw",
            "/p/dev/vpc/net": #"{"db":{"host":"h","port":5432}}"#,
        ])
        let built = Count()
        let r = try resolver(store, built: built)
        let env = try YAMLLoader.loadSingle(
            """
            A: !store outputs vpc id
            B: !store outputs prod vpc id
            C: !store "outputs {{ .stack }} vpc id"
            D: !store.get outputs /raw/key
            E: !store outputs vpc net | query .db.host
            F: !store outputs vpc missing | default fb
            G: [!store other vpc id]
            H: plain
            """, file: "s.yaml")
        let vars = try YAMLLoader.loadSingle("net: !store outputs vpc net\nid: !store outputs vpc id\n", file: "s.yaml")
        let out = try r.resolve([env, vars])
        #expect(out[0]["A"]?.scalarText == "vpc-1")
        #expect(out[0]["B"]?.scalarText == "vpc-2")
        #expect(out[0]["C"]?.scalarText == "vpc-1")
        #expect(out[0]["D"]?.scalarText == "raw")
        #expect(out[0]["E"]?.scalarText == "h")
        #expect(out[0]["F"]?.scalarText == "fb")
        #expect(out[0]["G"]?.items?.first?.scalarText == "vpc-1")
        #expect(out[0]["H"]?.scalarText == "plain")
        #expect(out[1]["net"]?["db"]?["port"]?.scalarText == "5432")
        // Two stores, one reader each, and each distinct key read once: outputs in one call, other in another.
        #expect(built.n == 2)
        let calls = store.calls.withLock { $0 }
        #expect(calls.count == 2)
        #expect(calls.flatMap { $0 }.sorted() == [
            "/p/dev/vpc/id", "/p/dev/vpc/id", "/p/dev/vpc/missing", "/p/dev/vpc/net", "/p/prod/vpc/id", "/raw/key",
        ])
        // A later pass reads nothing again.
        _ = try r.resolve([vars])
        #expect(store.calls.withLock { $0.count } == 2)
    }

    @Test(arguments: [
        ("x: !store secrets vpc id", "s.yaml:1:4: error: store is a secret store; use !secret instead of !store: store \"secrets\""),
        ("x: !store.get secrets /k", "s.yaml:1:4: error: store is a secret store; use !secret instead of !store: store \"secrets\""),
        ("x: !store nowhere vpc id", "s.yaml:1:4: error: !store: store \"nowhere\" is not configured under atmos.yaml stores (configured stores: cache, other, outputs, secrets, vault)"),
        ("x: !store cache vpc id", "s.yaml:1:4: error: !store: store \"cache\" uses backend \"example/queue\", which !store cannot read (readable: aws/ssm, aws/asm, hashicorp/vault, azure/keyvault, gcp/secretmanager, redis, artifactory)"),
        ("x: !store.get cache k", "s.yaml:1:4: error: !store.get: store \"cache\" uses backend \"example/queue\", which !store cannot read"),
        ("a: b\nx:\n  y: !store outputs vpc nothing", "s.yaml:3:6: error: !store: key \"/p/dev/vpc/nothing\" not found in store \"outputs\" (write it first, or add `| default VALUE`)"),
        ("x: !store outputs vpc", "s.yaml:1:4: error: invalid !store arguments: got 2, expected !store STORE [STACK] COMPONENT KEY [| default VALUE] [| query EXPR]"),
        ("x: !store \"outputs {{ .nope }} vpc id\"", "s.yaml:1:4: error: "),
    ])
    func errorsNameTheFunction(yaml: String, expected: String) throws {
        let store = MemoryKeyStore([:])
        let r = try resolver(store)
        let doc = try YAMLLoader.loadSingle(yaml, file: "s.yaml")
        let error = captureError { _ = try r.resolve([doc]) }
        #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "no error")")
        // Configuration errors are found before anything is read.
        if !expected.contains("not found") { #expect(store.calls.withLock { $0.isEmpty }) }
    }

    @Test func containsFindsNestedTags() throws {
        #expect(StoreFunctionResolver.contains(try YAMLLoader.loadSingle("a:\n  - b: !store.get s k\n", file: "f")))
        #expect(!StoreFunctionResolver.contains(try YAMLLoader.loadSingle("a: !secret X\nb: plain\n", file: "f")))
    }
}

@Suite struct SopsAgeKeyFunctionTests {
    @Test func ageKeyStoreGetIsKeptAsAFunctionNotAnInlineKey() throws {
        let doc = try YAMLLoader.loadSingle("enc:\n  spec:\n    age_key: !store.get outputs /keys/age\n", file: "atmos.yaml")
        let provider = try #require(try SopsProviderConfig.parseAll(doc)["enc"])
        #expect(provider.ageKey == nil)
        #expect(provider.ageKeyFunction?.tag == "!store.get")
        #expect(provider.ageKeyFunction?.scalarText == "outputs /keys/age")
    }

    @Test func malformedAgeKeyFunctionFailsWithTheConfig() throws {
        let doc = try YAMLLoader.loadSingle("enc:\n  spec:\n    age_key: !store.get outputs\n", file: "atmos.yaml")
        let error = captureError { _ = try SopsProviderConfig.parseAll(doc) }
        #expect(error?.description == "atmos.yaml:3:14: error: secrets provider \"enc\": age_key: invalid !store.get arguments: got 1, expected !store.get STORE KEY [| default VALUE] [| query EXPR]")
    }
}
