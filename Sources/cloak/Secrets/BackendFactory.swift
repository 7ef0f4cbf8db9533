import Core
import Resolve
import Sops
import Stores
import Synchronization
import YAML

/// Concrete backends for the secret service: SOPS providers now; secret stores as they are implemented.
enum BackendFactory {
    /// `auth` is atmos.yaml's `auth:` section; `identity` is `--identity`/`ATMOS_IDENTITY`. A store's own
    /// `identity:` wins, then the flag, then the identity marked `default: true`.
    static func make(environment: Environment, auth: Node? = nil, identity: String? = nil, stores: Node? = nil) -> SecretBackends {
        // One AWS context per run: stores and KMS keys share its credential cache and connections.
        let aws = AWSContext(environment: environment)
        return SecretBackends(
            sops: { (provider) throws(CloakError) -> any SecretBackend in
                try sopsBackend(provider, environment: environment, aws: aws, stores: stores)
            },
            store: { (store) throws(CloakError) -> any SecretBackend in
                // Identities apply to cloud stores; the keychain ignores them (with a warning below).
                let resolved = store.kind == "keychain" ? nil : try AuthIdentity.resolve(store.identity ?? identity, auth: auth)
                return try storeBackend(store, context: aws, rest: RESTContext(environment: environment), identity: resolved)
            },
            references: references(environment: environment, aws: aws),
            reader: { (store) throws(CloakError) -> any StoreKeyReader in
                let resolved = try AuthIdentity.resolve(store.identity ?? identity, auth: auth)
                return try storeReader(store, context: aws, rest: RESTContext(environment: environment), identity: resolved)
            })
    }

    /// A reader for `!store`/`!store.get`: the non-secret-only kinds (redis, artifactory), else the store's backend.
    static func storeReader(_ store: StoreConfig, context: AWSContext, rest: RESTContext, identity: AuthIdentity? = nil)
        throws(CloakError) -> any StoreKeyReader
    {
        let (name, o, env) = (store.name, store.options, rest.environment)
        do throws(CloakError) {
            switch store.kind {
            case "redis": return RedisStore(options: try RedisStoreOptions.parse(name: name, options: o, environment: env))
            case "artifactory":
                return ArtifactoryStore(
                    options: try ArtifactoryStoreOptions.parse(name: name, options: o, environment: env), context: rest)
            default:
                guard let reader = try storeBackend(store, context: context, rest: rest, identity: identity) as? any StoreKeyReader
                else { throw CloakError(.config, "store \"\(name)\" (\(store.kind)) cannot be read by !store in this cloak build") }
                return reader
            }
        } catch {
            throw error.location == nil ? CloakError(error.code, error.message, at: store.location) : error
        }
    }

    /// A secret store's backend by kind.
    static func storeBackend(_ store: StoreConfig, context: AWSContext, rest: RESTContext, identity: AuthIdentity? = nil)
        throws(CloakError) -> any SecretBackend
    {
        let (name, o, env) = (store.name, store.options, rest.environment)
        do throws(CloakError) {
            switch store.kind {
            case "aws/ssm": return try SSMStore(options: awsOptions(store, identity: identity), context: context)
            case "aws/asm": return try ASMStore(options: awsOptions(store, identity: identity), context: context)
            case "hashicorp/vault":
                return VaultStore(options: try VaultStoreOptions.parse(name: name, options: o, environment: env), context: rest)
            case "gcp/secretmanager":
                let options = try GCPStoreOptions.parse(name: name, options: o, environment: env)
                return GCPSecretManagerStore(options: options, context: rest)
            case "azure/keyvault":
                let options = try AzureStoreOptions.parse(name: name, options: o, environment: env)
                return AzureKeyVaultStore(options: options, context: rest)
            case "onepassword":
                let options = try OnePasswordStoreOptions.parse(name: name, options: o, environment: env)
                return OnePasswordStore(options: options, context: rest, render: onePasswordRenderer(name))
            case "github/actions":
                let options = try GitHubActionsStoreOptions.parse(name: name, options: o, environment: env)
                return GitHubActionsStore(options: options, context: rest)
            case "keychain":
                if let identity = store.identity, !identity.isEmpty {
                    Console.err("⚠ store \"\(name)\": identity \"\(identity)\" is ignored by the keychain store")
                }
                let options = try KeychainStoreOptions.parse(name: name, options: o, environment: env)
                return KeychainStore(options: options, environment: env)
            default:
                throw CloakError(
                    .config,
                    "store \"\(store.name)\" uses backend \"\(store.kind)\", which this cloak build cannot reach yet "
                        + "(supported: SOPS providers and the aws/ssm, aws/asm, hashicorp/vault, azure/keyvault, "
                        + "gcp/secretmanager, onepassword, keychain and github/actions stores)")
            }
        } catch {
            throw error.location == nil ? CloakError(error.code, error.message, at: store.location) : error
        }
    }

    /// Renders a 1Password reference template with `atmos_stack` and `atmos_component` (and sprig), as Atmos does.
    static func onePasswordRenderer(_ store: String) -> OnePasswordStore.Renderer {
        { (template, coordinate) throws(CloakError) -> String in
            let data = Node.mapping([
                "atmos_stack": .string(coordinate.stack), "atmos_component": .string(coordinate.component),
            ])
            return try GoTemplate(template, name: "stores.\(store) reference").render(data, environment: nil)
        }
    }

    /// `stores.<name>.options` of an AWS store as plain values.
    static func awsOptions(_ store: StoreConfig, identity: AuthIdentity? = nil) throws(CloakError) -> AWSStoreOptions {
        let o = store.options
        func text(_ key: String) -> String? {
            guard let v = o[key], !v.isNull else { return nil }
            return v.scalarText
        }
        var options = AWSStoreOptions(name: store.name)
        options.region = text("region")
        options.prefix = text("prefix") ?? ""
        if let d = text("stack_delimiter"), !d.isEmpty { options.stackDelimiter = d }
        options.endpoint = text("endpoint_url") ?? text("endpoint")
        options.keyId = text("key_id") ?? text("kms_key_id")
        options.readRoleArn = text("read_role_arn")
        options.writeRoleArn = text("write_role_arn")
        options.profile = text("profile") ?? identity?.profile
        options.identityRoles = identity?.roles ?? []
        options.caBundle = text("ca_bundle")
        if let t = text("timeout") {
            var s = Substring(t)
            if s.hasSuffix("s") { s = s.dropLast() }
            guard let seconds = Double(s), seconds > 0 else {
                throw CloakError(.config, "store \"\(store.name)\": options.timeout must be a number of seconds", at: o["timeout"]?.location)
            }
            options.timeout = seconds
        }
        if let a = text("max_attempts") {
            guard let n = Int(a), n >= 1 else {
                throw CloakError(.config, "store \"\(store.name)\": options.max_attempts must be a positive integer", at: o["max_attempts"]?.location)
            }
            options.maxAttempts = n
        }
        return options
    }

    /// The store and coordinate holding a SOPS provider's age key (`age_key.store`): stack = the provider name,
    /// component = `age-key`, key = `age_key.path` or the provider name (atmos-secrets.md §1.3).
    static func ageKeyLocation(_ provider: SopsProviderConfig, stores: Node?, environment: Environment)
        throws(CloakError) -> (backend: any SecretBackend, coordinate: SecretCoordinate)?
    {
        guard let storeName = provider.ageKeyStore, storeName != "file" else { return nil }
        guard let store = try StoreConfig.parseAll(stores)[storeName] else {
            throw CloakError(
                .config, "secrets provider \"\(provider.name)\": age_key.store \"\(storeName)\" is not configured under stores",
                at: provider.location)
        }
        let backend = try storeBackend(store, context: AWSContext(environment: environment), rest: RESTContext(environment: environment))
        return (backend, SecretCoordinate(stack: provider.name, component: "age-key", key: provider.ageKeyPath ?? provider.name))
    }

    /// Reads `age_key: !store.get …` when the key is first needed. There is no current stack here, so a three-argument
    /// `!store` composes its key without one.
    static func ageKeyReader(_ function: Node, provider: String, stores: Node?, environment: Environment, aws: AWSContext)
        -> @Sendable () throws(CloakError) -> SecretBytes?
    {
        { () throws(CloakError) -> SecretBytes? in
            let resolver = StoreFunctionResolver(
                stack: "", component: "", stores: try StoreConfig.parseAll(stores),
                reader: { (store) throws(CloakError) -> any StoreKeyReader in
                    try storeReader(store, context: aws, rest: RESTContext(environment: environment))
                })
            let node = try resolver.resolve([function])[0]
            guard let text = node.scalarText, !text.isEmpty, node.isScalar else {
                throw CloakError(.config, "secrets provider \"\(provider)\": age_key: the store value is not a non-empty string", at: function.location)
            }
            var bytes = Array(text.utf8)
            return SecretBytes(consuming: &bytes)
        }
    }

    static func sopsBackend(_ provider: SopsProviderConfig, environment: Environment, aws: AWSContext, stores: Node? = nil)
        throws(CloakError) -> any SecretBackend
    {
        var sources = AgeKeySources()
        if let inline = provider.ageKey {
            var bytes = Array(inline.utf8)
            sources.inline = SecretBytes(consuming: &bytes)
        }
        if let (backend, coordinate) = try ageKeyLocation(provider, stores: stores, environment: environment) {
            let name = provider.name
            sources.storeKey = { () throws(CloakError) -> SecretBytes? in
                do throws(CloakError) {
                    let value = try backend.get(coordinate)
                    guard value.bytes.count > 0 else {
                        throw CloakError(.decrypt, "secrets provider \"\(name)\": the age key in \(backend.label) is empty")
                    }
                    return value.bytes
                } catch {
                    throw error.prefixed("secrets provider \"\(name)\": cannot read its age key from \(backend.label) (\(coordinate))")
                }
            }
        }
        if let function = provider.ageKeyFunction {
            sources.storeKey = ageKeyReader(function, provider: provider.name, stores: stores, environment: environment, aws: aws)
        }
        if let file = provider.ageKeyStore == "file" ? provider.ageKeyPath : provider.ageKeyFile {
            sources.keyFile = environment.expandPath(file)
        }
        return SopsSecretBackend(
            provider: provider.name,
            fileFor: { (coordinate) throws(CloakError) -> String in try provider.file(for: coordinate) },
            keySources: sources, recipients: provider.ageRecipients,
            extraServices: [
                PGPKeyService(), AWSKMSKeyService(context: aws),
                VaultTransitKeyService(context: RESTContext(environment: environment)),
                GCPKMSKeyService(context: RESTContext(environment: environment)),
                AzureKVKeyService(context: RESTContext(environment: environment)),
            ])
    }
}

extension BackendFactory {
    /// `ref+…` backends: echo, file, envsubst, sops (decrypted in-process), and the remote ones through the store
    /// clients: awsssm, awssecrets, vault, gcpsecrets, azurekeyvault, onepasswordconnect (alias onepassword) and op.
    static func references(environment: Environment, aws: AWSContext? = nil) -> RefRegistry {
        var registry = RefRegistry.local(environment: environment)
        registry.register("sops", SopsRefProvider(decryptor: sopsDecryptor()))
        registry.register("awsssm", lazily: { AWSSSMRefProvider(context: aws, environment: environment) })
        registry.register("awssecrets", lazily: { AWSSecretsRefProvider(context: aws, environment: environment) })
        registry.register("vault", lazily: { VaultRefProvider(environment: environment) })
        registry.register("gcpsecrets", lazily: { GCPSecretsRefProvider(environment: environment) })
        registry.register("azurekeyvault", lazily: { AzureKeyVaultRefProvider(environment: environment) })
        let onePassword = OnePasswordRefConnection(environment: environment)
        registry.register("onepasswordconnect", lazily: {
            OnePasswordConnectRefProvider(scheme: "onepasswordconnect", connection: onePassword)
        })
        registry.register("onepassword", lazily: {
            OnePasswordConnectRefProvider(scheme: "onepassword", connection: onePassword)
        })
        registry.register("op", lazily: { OnePasswordOpRefProvider(connection: onePassword) })
        return registry
    }

    /// In-process SOPS decryption (MAC verified) with age keys from the usual sources (`SOPS_AGE_KEY`,
    /// `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`, the default keys.txt); identities are read once.
    static func sopsDecryptor(sources: AgeKeySources = AgeKeySources()) -> SopsDecryptor {
        let cache = IdentityCache()
        return SopsDecryptor { (bytes, name, input, output) throws(CloakError) -> SecretBytes in
            guard let inFormat = SopsFormat(name: input), let outFormat = SopsFormat(name: output) else {
                throw CloakError(.config, "\(name): unsupported SOPS format \(input)")
            }
            let identities = try cache.identities(sources)
            let file = try SopsFile.decrypt(
                bytes, file: name, format: inFormat, services: [AgeKeyService(identities: identities), PGPKeyService()])
            var plain = try file.plaintext(as: outFormat)
            return SecretBytes(consuming: &plain)
        }
    }
}

/// Age identities loaded once per process.
final class IdentityCache: Sendable {
    private let loaded = Mutex<[AgeIdentity]?>(nil)

    func identities(_ sources: AgeKeySources) throws(CloakError) -> [AgeIdentity] {
        if let hit = loaded.withLock({ $0 }) { return hit }
        let ids = try sources.identities()
        loaded.withLock { $0 = ids }
        return ids
    }
}
