public import Core

/// Turns the key notations sops accepts on its command line and in `.sops.yaml` into key entries (no `enc` yet):
/// AWS KMS `arn[+role_arn]`, GCP KMS resource ids, Azure Key Vault key URLs, Vault transit URIs, PGP fingerprints.
/// Errors name the notation (never a secret: these are key identifiers) and say what shape is expected.
public enum SopsMasterKeys {
    /// Splits a comma-separated list, trimming blanks and dropping empty items.
    public static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// One `kms` entry per `arn` or `arn+role_arn` item of a comma-separated list.
    public static func kms(
        _ list: String, context: [String: String] = [:], profile: String = ""
    ) throws(CloakError) -> [SopsKeyEntry] {
        var out: [SopsKeyEntry] = []
        for item in split(list) {
            let parts = item.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            out.append(try kms(arn: parts[0], role: parts.count > 1 ? parts[1] : "", context: context, profile: profile))
        }
        return out
    }

    /// A `kms` entry; `aws_profile` is always written (empty when unset), as sops does.
    public static func kms(
        arn: String, role: String = "", context: [String: String] = [:], profile: String = ""
    ) throws(CloakError) -> SopsKeyEntry {
        let arn = arn.trimmingSpaces()
        guard arn.hasPrefix("arn:"), arn.split(separator: ":", omittingEmptySubsequences: false).count >= 6 else {
            throw CloakError(.config, "kms key '\(arn)' is not a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
        }
        var fields = ["arn": arn, "aws_profile": profile]
        if !role.isEmpty { fields["role"] = role }
        return SopsKeyEntry(type: "kms", fields: fields, context: context)
    }

    /// A KMS encryption context given as `key:value[,key:value]` (`--encryption-context`).
    public static func encryptionContext(_ text: String) throws(CloakError) -> [String: String] {
        var out: [String: String] = [:]
        for pair in split(text) {
            guard let colon = pair.firstIndex(of: ":"), colon != pair.startIndex else {
                throw CloakError(.usage, "encryption context item '\(pair)' is not key:value")
            }
            out[String(pair[..<colon])] = String(pair[pair.index(after: colon)...])
        }
        return out
    }

    /// A `gcp_kms` entry for `projects/P/locations/L/keyRings/R/cryptoKeys/K`.
    public static func gcpKMS(_ resourceID: String) throws(CloakError) -> SopsKeyEntry {
        let parts = resourceID.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 8, parts[0] == "projects", parts[2] == "locations", parts[4] == "keyRings",
            parts[6] == "cryptoKeys", parts.allSatisfy({ !$0.isEmpty })
        else {
            throw CloakError(
                .config, "gcp_kms key '\(resourceID)' is not projects/P/locations/L/keyRings/R/cryptoKeys/K")
        }
        return SopsKeyEntry(type: "gcp_kms", fields: ["resource_id": resourceID])
    }

    /// An `azure_kv` entry for `https://VAULT/keys/NAME[/VERSION]`.
    public static func azureKeyVault(url: String) throws(CloakError) -> SopsKeyEntry {
        let bad = CloakError(.config, "azure_keyvault key '\(url)' is not https://VAULT/keys/NAME[/VERSION]")
        guard let keys = url.firstRange(of: "/keys/"), url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw bad
        }
        let vault = String(url[..<keys.lowerBound])
        let rest = url[keys.upperBound...].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard vault.split(separator: "/").count == 2, rest.count <= 2, !rest[0].isEmpty else { throw bad }
        return try azureKeyVault(vaultURL: vault, name: rest[0], version: rest.count > 1 ? rest[1] : "")
    }

    /// An `azure_kv` entry from its parts (`key_groups` form: `vaultUrl`, `key`, `version`).
    public static func azureKeyVault(vaultURL: String, name: String, version: String) throws(CloakError) -> SopsKeyEntry {
        guard !vaultURL.isEmpty, !name.isEmpty else {
            throw CloakError(.config, "an azure_keyvault key needs vaultUrl and key")
        }
        return SopsKeyEntry(type: "azure_kv", fields: ["vault_url": vaultURL, "name": name, "version": version])
    }

    /// An `hc_vault` entry for a transit key URI `ADDRESS/v1/ENGINE_PATH/keys/NAME`.
    public static func vaultTransit(uri: String) throws(CloakError) -> SopsKeyEntry {
        let bad = CloakError(.config, "hc_vault key '\(uri)' is not ADDRESS/v1/ENGINE/keys/NAME")
        guard let v1 = uri.firstRange(of: "/v1/") else { throw bad }
        let address = String(uri[..<v1.lowerBound])
        let path = String(uri[v1.upperBound...])
        guard let keys = path.ranges(of: "/keys/").last else { throw bad }
        let engine = String(path[..<keys.lowerBound])
        let name = String(path[keys.upperBound...])
        guard address.hasPrefix("http://") || address.hasPrefix("https://"), !engine.isEmpty, !name.isEmpty,
            !name.contains("/")
        else { throw bad }
        return SopsKeyEntry(type: "hc_vault", fields: ["vault_address": address, "engine_path": engine, "key_name": name])
    }

    /// A `pgp` entry for a fingerprint (spaces removed).
    public static func pgp(_ fingerprint: String) -> SopsKeyEntry {
        SopsKeyEntry(type: "pgp", fields: ["fp": fingerprint.filter { $0 != " " }])
    }

    /// The entries without repeats (same type and identifying fields), first occurrence kept.
    public static func unique(_ entries: [SopsKeyEntry]) -> [SopsKeyEntry] {
        var seen: Set<SopsKeyEntry> = []
        return entries.filter { seen.insert($0).inserted }
    }
}
