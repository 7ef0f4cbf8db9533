import Core
import Synchronization
import Testing

@testable import Stores

@Suite struct StoreTests {
    static let coordinate = SecretCoordinate(stack: "dev", component: "secret-consumer", key: "TOKEN")

    func ssm(_ t: ScriptedTransport, _ opts: (inout AWSStoreOptions) -> Void = { _ in }) throws -> SSMStore {
        var o = AWSStoreOptions(name: "ssm", region: "us-east-1", prefix: "P", endpoint: "http://127.0.0.1:9")
        opts(&o)
        return try SSMStore(options: o, context: testContext(t))
    }

    @Test func ssmNeedsARegion() {
        #expect {
            _ = try SSMStore(options: AWSStoreOptions(name: "ssm"), context: testContext(ScriptedTransport()))
        } throws: { e in (e as? CloakError)?.message == "store \"ssm\": options.region is required" }
    }

    @Test func ssmPutIsASecureStringWithKeyIdAndOverwrite() throws {
        let t = ScriptedTransport()
        try ssm(t) { $0.keyId = "alias/k" }.set(Self.coordinate, .text(StoresFixtures.secret("v")))
        let r = t.sent.withLock { $0[0] }
        #expect(r.header("X-Amz-Target") == "AmazonSSM.PutParameter")
        #expect(t.body(0) == #"{"Name":"P/dev/secret-consumer/TOKEN","Value":"v","Type":"SecureString","KeyId":"alias/k","Overwrite":true}"#)
    }

    @Test func ssmGetManyBatchesByTenAndMarksMissingNames() throws {
        let t = ScriptedTransport(fallback: { req in
            // Echo every asked name back except those ending in 7.
            let body = req.body?.unsafeString() ?? ""
            var params: [String] = []
            var invalid: [String] = []
            var rest = Substring(body)
            while let r = rest.firstRange(of: "\"P/") {
                let after = rest[r.upperBound...]
                let end = after.firstIndex(of: "\"")!
                let name = "P/" + after[..<end]
                if name.hasSuffix("7") { invalid.append("\"\(name)\"") } else {
                    params.append(#"{"Name":"\#(name)","Type":"SecureString","Value":"v-\#(name.split(separator: "/").last!)"}"#)
                }
                rest = after[end...]
            }
            return .success(HTTPResponse(status: 200, text: #"{"Parameters":[\#(params.joined(separator: ","))],"InvalidParameters":[\#(invalid.joined(separator: ","))]}"#))
        })
        let coords = (0..<25).map { SecretCoordinate(stack: "dev", component: "c", key: "K\($0)") }
        let results = try ssm(t).getMany(coords + [coords[0]])
        #expect(t.count == 3)
        #expect(results.count == 26)
        #expect((try? results[3].get())?.bytes.unsafeString() == "v-K3")
        #expect((try? results[25].get())?.bytes.unsafeString() == "v-K0")
        guard case .failure(let e) = results[7] else { Issue.record("K7 should be missing"); return }
        #expect(e.code == .notInitialized)
        #expect(e.message == "parameter \"P/dev/c/K7\" not found in store \"ssm\"")
    }

    @Test func ssmMissingAndExistence() throws {
        let notFound = ScriptedTransport.json(400, #"{"__type":"ParameterNotFound","message":"x"}"#)
        let t = ScriptedTransport([notFound, notFound, ScriptedTransport.json(200, #"{"Parameter":{"Value":"kms:x:v"}}"#), notFound])
        let store = try ssm(t)
        #expect(throws: CloakError.self) { _ = try store.get(Self.coordinate) }
        #expect(try store.exists(Self.coordinate) == false)
        #expect(try store.exists(Self.coordinate) == true)
        #expect(t.body(2) == #"{"Name":"P/dev/secret-consumer/TOKEN","WithDecryption":false}"#)
        #expect { try store.delete(Self.coordinate) } throws: { e in (e as? CloakError)?.code == .notFound }
    }

    @Test func asmCreatesThenPutsWhenTheSecretExists() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(400, #"{"__type":"ResourceExistsException"}"#), ScriptedTransport.json(200, "{}"),
        ])
        let o = AWSStoreOptions(name: "asm", region: "us-east-1", prefix: "Q", endpoint: "http://127.0.0.1:9")
        try ASMStore(options: o, context: testContext(t)).set(Self.coordinate, .text(StoresFixtures.secret("abc")))
        let sent = t.sent.withLock { $0 }
        #expect(sent.map { $0.header("X-Amz-Target") ?? "" } == ["secretsmanager.CreateSecret", "secretsmanager.PutSecretValue"])
        #expect(t.body(0).hasPrefix(#"{"Name":"Q/dev/secret-consumer/TOKEN","SecretString":"\"abc\"","ClientRequestToken":""#))
        #expect(t.body(1).hasPrefix(#"{"SecretId":"Q/dev/secret-consumer/TOKEN","SecretString":"\"abc\"""#))
    }

    @Test func asmBatchGetMapsValuesAndErrors() throws {
        let reply = #"{"SecretValues":[{"Name":"Q/dev/c/A","SecretString":"{\"password\":\"p\"}"}],"#
            + #""Errors":[{"SecretId":"Q/dev/c/B","ErrorCode":"ResourceNotFoundException","Message":"m"},"#
            + #"{"SecretId":"Q/dev/c/C","ErrorCode":"DecryptionFailure","Message":"m"}]}"#
        let t = ScriptedTransport([ScriptedTransport.json(200, reply)])
        let o = AWSStoreOptions(name: "asm", region: "us-east-1", prefix: "Q", endpoint: "http://127.0.0.1:9")
        let store = try ASMStore(options: o, context: testContext(t))
        let r = store.getMany(["A", "B", "C"].map { SecretCoordinate(stack: "dev", component: "c", key: $0) })
        #expect((try? r[0].get())?.isJSON == true)
        guard case .failure(let b) = r[1], case .failure(let c) = r[2] else { Issue.record("expected failures"); return }
        #expect(b.code == .notInitialized)
        #expect(c.message == "secretsmanager BatchGetSecretValue \"Q/dev/c/C\": DecryptionFailure")
    }

    @Test func serviceErrorsNeverCarryTheResponseMessage() throws {
        let t = ScriptedTransport(fallback: ScriptedTransport.json(
            400, #"{"__type":"ValidationException","message":"Value 'hunter2' at 'value' failed"}"#))
        #expect {
            try ssm(t).set(Self.coordinate, .text(StoresFixtures.secret("hunter2")))
        } throws: { e in
            let m = (e as? CloakError)?.description ?? ""
            return m == "error: ssm PutParameter \"P/dev/secret-consumer/TOKEN\": ValidationException (HTTP 400)"
        }
    }

    @Test func endpointsFollowOptionThenEnvironment() {
        let env = testEnvironment(["AWS_ENDPOINT_URL": "http://127.0.0.1:1/", "AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:2"])
        #expect(AWSEndpoints.resolve(explicit: "localhost:3", serviceEnv: "SSM", hostPrefix: "ssm", region: "r", environment: env) == "https://localhost:3")
        #expect(AWSEndpoints.resolve(explicit: nil, serviceEnv: "SSM", hostPrefix: "ssm", region: "r", environment: env) == "http://127.0.0.1:2")
        #expect(AWSEndpoints.resolve(explicit: nil, serviceEnv: "KMS", hostPrefix: "kms", region: "r", environment: env) == "http://127.0.0.1:1")
        #expect(AWSEndpoints.resolve(explicit: nil, serviceEnv: "KMS", hostPrefix: "kms", region: "cn-north-1", environment: testEnvironment()) == "https://kms.cn-north-1.amazonaws.com.cn")
        #expect(AWSKMSKeyService.region(ofARN: "arn:aws:kms:eu-west-2:123:key/abc") == "eu-west-2")
        #expect(AWSKMSKeyService.region(ofARN: "alias/x") == nil)
    }
}
