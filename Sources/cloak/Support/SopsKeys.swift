import Core
import Sops
import Stores

/// Builds the SOPS key services from the environment (sops's own variables and default key file).
enum SopsKeys {
    /// Age identities from `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD` and the default keys.txt, plus
    /// `gpg` for pgp entries, plus AWS KMS (kms), Vault transit (hc_vault), GCP KMS (gcp_kms) and Azure Key Vault
    /// (azure_kv). `needIdentities: false` skips reading keys (encrypting needs only recipients).
    static func services(sources: AgeKeySources = AgeKeySources(), needIdentities: Bool = true) throws(CloakError)
        -> [any SopsKeyService]
    {
        let identities = needIdentities ? try sources.identities() : []
        return [
            AgeKeyService(identities: identities), PGPKeyService(), AWSKMSKeyService(context: AWSContext.shared),
            VaultTransitKeyService(), GCPKMSKeyService(), AzureKVKeyService(),
        ]
    }
}
