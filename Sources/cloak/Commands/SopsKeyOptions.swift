import ArgumentParser
import Core
import Sops

/// The key flags of `cloak sops encrypt`, named as sops names them. Any of them replaces the `.sops.yaml` creation
/// rule's keys with one group of exactly these keys.
struct SopsKeyOptions: ParsableArguments {
    @Option(help: "Comma-separated age recipients (age1…).") var age: String?
    @Option(help: "Comma-separated AWS KMS key ARNs; ARN+ROLE_ARN assumes the role first.") var kms: String?
    @Option(
        name: .customLong("encryption-context"),
        help: "AWS KMS encryption context key:value[,key:value] (also applied to the .sops.yaml rule's kms keys).")
    var encryptionContext: String?
    @Option(name: .customLong("aws-profile"), help: "AWS shared-config profile for the --kms keys.")
    var awsProfile: String?
    @Option(name: .customLong("gcp-kms"), help: "Comma-separated GCP KMS key resource ids (projects/…/cryptoKeys/K).")
    var gcpKMS: String?
    @Option(name: .customLong("azure-kv"), help: "Comma-separated Azure Key Vault key URLs (https://V/keys/NAME[/VERSION]).")
    var azureKV: String?
    @Option(
        name: .customLong("hc-vault-transit"),
        help: "Comma-separated Vault transit key URIs (ADDRESS/v1/ENGINE/keys/NAME).")
    var vaultTransit: String?
    @Option(help: "Comma-separated PGP fingerprints (encrypted with the system gpg).") var pgp: String?

    /// The KMS encryption context of `--encryption-context` (empty when not given).
    func kmsContext() throws(CloakError) -> [String: String] {
        try SopsMasterKeys.encryptionContext(encryptionContext ?? "")
    }

    /// The keys the flags name, in sops's order (age, pgp, kms, gcp_kms, azure_kv, hc_vault); empty for none.
    func entries() throws(CloakError) -> [SopsKeyEntry] {
        var out: [SopsKeyEntry] = SopsMasterKeys.split(age ?? "").map { .age(recipient: $0, enc: "") }
        out += SopsMasterKeys.split(pgp ?? "").map(SopsMasterKeys.pgp)
        out += try usage { () throws(CloakError) in
            try SopsMasterKeys.kms(kms ?? "", context: try kmsContext(), profile: awsProfile ?? "")
        }
        for id in SopsMasterKeys.split(gcpKMS ?? "") {
            out.append(try usage { () throws(CloakError) in try SopsMasterKeys.gcpKMS(id) })
        }
        for url in SopsMasterKeys.split(azureKV ?? "") {
            out.append(try usage { () throws(CloakError) in try SopsMasterKeys.azureKeyVault(url: url) })
        }
        for uri in SopsMasterKeys.split(vaultTransit ?? "") {
            out.append(try usage { () throws(CloakError) in try SopsMasterKeys.vaultTransit(uri: uri) })
        }
        if awsProfile != nil, SopsMasterKeys.split(kms ?? "").isEmpty {
            throw CloakError(.usage, "--aws-profile applies to --kms keys; give --kms too")
        }
        return out
    }

    private func usage<T>(_ body: () throws(CloakError) -> T) throws(CloakError) -> T {
        do { return try body() } catch { throw CloakError(.usage, error.message) }
    }
}
