import Core
import Resolve
import Sops
import Stores
import YAML

/// Concrete backends for the secret service: SOPS providers now; secret stores as they are implemented.
enum BackendFactory {
    static func make(environment: Environment) -> SecretBackends {
        // One AWS context per run: stores and KMS keys share its credential cache and connections.
        let aws = AWSContext(environment: environment)
        return SecretBackends(
            sops: { (provider) throws(CloakError) -> any SecretBackend in
                try sopsBackend(provider, environment: environment, aws: aws)
            },
            store: { (store) throws(CloakError) -> any SecretBackend in
                try storeBackend(store, context: aws, rest: RESTContext(environment: environment))
            })
    }

    /// A secret store's backend by kind.
    static func storeBackend(_ store: StoreConfig, context: AWSContext, rest: RESTContext) throws(CloakError)
        -> any SecretBackend
    {
        let (name, o, env) = (store.name, store.options, rest.environment)
        do throws(CloakError) {
            switch store.kind {
            case "aws/ssm": return try SSMStore(options: awsOptions(store), context: context)
            case "aws/asm": return try ASMStore(options: awsOptions(store), context: context)
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
                        + "gcp/secretmanager, onepassword and keychain stores)")
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
    static func awsOptions(_ store: StoreConfig) throws(CloakError) -> AWSStoreOptions {
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
        options.profile = text("profile")
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

    static func sopsBackend(_ provider: SopsProviderConfig, environment: Environment, aws: AWSContext) throws(CloakError) -> any SecretBackend {
        var sources = AgeKeySources()
        if let inline = provider.ageKey {
            var bytes = Array(inline.utf8)
            sources.inline = SecretBytes(consuming: &bytes)
        }
        if let store = provider.ageKeyStore, store != "file" {
            throw CloakError(
                .config, "secrets provider \"\(provider.name)\": age_key.store \"\(store)\" is not supported by this build yet; use age_key_file or SOPS_AGE_KEY_FILE",
                at: provider.location)
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
