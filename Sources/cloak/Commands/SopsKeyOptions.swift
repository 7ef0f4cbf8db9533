import CLI
import Core
import Sops

/// The key flags of `cloak sops encrypt`, named as sops names them. Any of them replaces the `.sops.yaml` creation
/// rule's keys with one group of exactly these keys.
struct SopsKeyOptions {
    static let age = OptionSpec.value("age", help: "Comma-separated age recipients (age1…).")
    static let kms = OptionSpec.value("kms", help: "Comma-separated AWS KMS key ARNs; ARN+ROLE_ARN assumes the role first.")
    static let encryptionContext = OptionSpec.value(
        "encryption-context",
        help: "AWS KMS encryption context key:value[,key:value] (also applied to the .sops.yaml rule's kms keys).")
    static let awsProfile = OptionSpec.value("aws-profile", help: "AWS shared-config profile for the --kms keys.")
    static let gcpKMS = OptionSpec.value("gcp-kms", help: "Comma-separated GCP KMS key resource ids (projects/…/cryptoKeys/K).")
    static let azureKV = OptionSpec.value("azure-kv", help: "Comma-separated Azure Key Vault key URLs (https://V/keys/NAME[/VERSION]).")
    static let vaultTransit = OptionSpec.value(
        "hc-vault-transit", help: "Comma-separated Vault transit key URIs (ADDRESS/v1/ENGINE/keys/NAME).")
    static let pgp = OptionSpec.value("pgp", help: "Comma-separated PGP fingerprints (encrypted with the system gpg).")
    /// The options, for a command's spec.
    static let options = [age, kms, encryptionContext, awsProfile, gcpKMS, azureKV, vaultTransit, pgp]

    var age: String?
    var kms: String?
    var encryptionContext: String?
    var awsProfile: String?
    var gcpKMS: String?
    var azureKV: String?
    var vaultTransit: String?
    var pgp: String?

    /// Reads the options from a parsed command line.
    init(_ arguments: ParsedArguments) {
        age = arguments.string(Self.age)
        kms = arguments.string(Self.kms)
        encryptionContext = arguments.string(Self.encryptionContext)
        awsProfile = arguments.string(Self.awsProfile)
        gcpKMS = arguments.string(Self.gcpKMS)
        azureKV = arguments.string(Self.azureKV)
        vaultTransit = arguments.string(Self.vaultTransit)
        pgp = arguments.string(Self.pgp)
    }

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
