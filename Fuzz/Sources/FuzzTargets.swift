import Core
import Resolve
import Sops
import Stores
import YAML

/// The fuzzed entry points, selected with FUZZ_TARGET. Each must never crash, hang or leak; errors are expected.
enum FuzzTargets {
    static let names = ["yaml", "sops", "age", "dotenv", "flat", "template", "refs", "resp"]

    /// A fixed throwaway identity, so SOPS and age inputs reach the decrypting code paths.
    nonisolated(unsafe) static var identity: AgeIdentity = AgeIdentity.generate()

    /// Encrypts to `identity`, so what the flat target encrypts it can decrypt again.
    static let recipientRule = SopsCreationRule.age(["\(identity.recipient)"])

    static func run(_ target: String, _ bytes: UnsafeBufferPointer<UInt8>) {
        switch target {
        case "yaml":
            if let docs = try? YAMLLoader.load(bytes: Array(bytes), file: "fuzz.yaml", options: LoadOptions(comments: true)) {
                let text = YAMLEmitter.emit(docs, options: EmitOptions(indent: 4))
                _ = try? YAMLLoader.load(text, file: "fuzz-roundtrip.yaml")
                for d in docs { _ = JSON.serialize(d) }
            }
            if let text = String(validating: bytes, as: UTF8.self) { _ = try? JSON.parse(text, file: "fuzz.json") }
        case "sops":
            for format in [SopsFormat.yaml, .json, .dotenv, .ini] {
                _ = try? SopsFile.inspect(Array(bytes), file: "fuzz", format: format)
                _ = try? SopsFile.decrypt(Array(bytes), file: "fuzz", format: format, services: [AgeKeyService(identities: [identity])])
            }
        case "age":
            _ = try? Age.decrypt(Array(bytes), identities: [identity])
            var copy = Array(bytes)
            _ = try? AgeIdentityFile.parse(SecretBytes(consuming: &copy), source: "fuzz")
        case "dotenv":
            if let text = String(validating: bytes, as: UTF8.self) {
                _ = DotenvInput.parseEnv(text)
                _ = try? DotenvInput.parseJSON(text, file: "fuzz")
                _ = try? SecretReference(parsing: text)
                _ = try? NodeQuery(text)
            }
        case "flat":
            // The line-based formats: SOPS's dotenv and INI stores (plaintext in, encrypted out, and back), and the
            // INI dialect of the AWS shared config and credentials files.
            let plain = Array(bytes)
            let services: [any SopsKeyService] = [AgeKeyService(identities: [identity])]
            for format in [SopsFormat.dotenv, .ini] {
                _ = try? SopsFile.inspect(plain, file: "fuzz", format: format)
                if let enc = try? SopsFile.encrypt(
                    plaintext: plain, file: "fuzz", format: format, rule: recipientRule, services: services, now: 0) {
                    _ = try? SopsFile.decrypt(enc, file: "fuzz", format: format, services: services).plaintext()
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let ini = INIFile(text)
            let shared = SharedConfig(config: ini, credentials: ini)
            for name in ini.order { _ = shared.region(profile: name) }
        case "resp":
            // What a Redis server (or anything listening where one should be) can send, and the URLs cloak parses.
            var input = UnsafeRawBufferPointer(bytes)
            while !input.isEmpty, let parsed = try? RESPReply.parse(input), parsed.1 > 0 {
                input = UnsafeRawBufferPointer(rebasing: input[parsed.1...])
            }
            if let text = String(validating: bytes, as: UTF8.self) { _ = try? RedisURL.parse(text) }
        case "template":
            if let text = String(validating: bytes, as: UTF8.self), let t = try? GoTemplate(text, name: "fuzz") {
                _ = try? t.render(.mapping(["vars": .mapping(["stage": .string("dev"), "n": .plain("3")])]), environment: [:])
            }
        case "refs":
            guard let text = String(validating: bytes, as: UTF8.self) else { return }
            _ = RefMatcher.containsReference(text)
            for m in RefMatcher.matches(in: text) {
                guard let key = try? RefKey(parsing: m.key) else { continue }
                let params = RefParams(query: key.query, rawQuery: key.rawQuery, environment: Environment([:]))
                let path = key.providerPath
                let wantsMap = key.fragment != nil
                _ = key.fragment.map(RefFragment.segments)
                _ = try? SSMRefLookup(path: path, params: params, wantsMap: wantsMap)
                _ = try? AWSSecretsRefLookup(path: path, params: params)
                _ = try? VaultRefLookup(path: path, wantsMap: wantsMap)
                _ = try? GCPSecretRefLookup(path: path, params: params, environment: Environment([:]))
                _ = try? AzureSecretRefLookup(path: path)
                _ = try? OnePasswordRefLookup(path: path)
            }
            // Nesting, fragments and interpolation end to end, with echo only (no files, variables or network).
            var registry = RefRegistry()
            registry.register("echo", EchoRefProvider())
            registry.register("envsubst", EnvsubstRefProvider(environment: Environment(["HOME": "/h", "N": "1"])))
            _ = try? Envsubst.expand(text) { $0 == "X" ? "x" : nil }
            _ = try? RefResolver(registry: registry).resolve(text: text)
        default:
            break
        }
    }
}
