import Core
import Resolve
import Sops
import Synchronization

/// Concrete backends for the secret service: SOPS providers now; secret stores as they are implemented.
enum BackendFactory {
    static func make(environment: Environment) -> SecretBackends {
        SecretBackends(
            sops: { (provider) throws(CloakError) -> any SecretBackend in
                try sopsBackend(provider, environment: environment)
            },
            store: { (store) throws(CloakError) -> any SecretBackend in
                throw CloakError(
                    .config,
                    "store \"\(store.name)\" uses backend \"\(store.kind)\", which this cloak build cannot reach yet (SOPS providers are supported)",
                    at: store.location)
            },
            references: references(environment: environment))
    }

    static func sopsBackend(_ provider: SopsProviderConfig, environment: Environment) throws(CloakError) -> any SecretBackend {
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
            keySources: sources, recipients: provider.ageRecipients)
    }
}

extension BackendFactory {
    /// Remote vals backends that plug in here once their store clients exist in `Sources/Stores`.
    static let pendingReferenceBackends = ["awsssm", "awssecrets", "vault", "gcpsecrets", "azurekeyvault", "onepassword", "op"]

    /// `ref+…` backends: echo, file, envsubst, sops (decrypted in-process); remote ones report they are not
    /// available in this build yet.
    static func references(environment: Environment) -> RefRegistry {
        var registry = RefRegistry.local(environment: environment)
        registry.register("sops", SopsRefProvider(decryptor: sopsDecryptor()))
        for scheme in pendingReferenceBackends { registry.markUnavailable(scheme) }
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
