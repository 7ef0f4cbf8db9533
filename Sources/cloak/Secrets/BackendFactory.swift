import Core
import Resolve
import Sops

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
            })
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
