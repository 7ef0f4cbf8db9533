public import Core

/// A master-key backend that wraps and unwraps the data key for one key type (`age`, `pgp`, `kms`, `gcp_kms`,
/// `azure_kv`, `hc_vault`). Cloud backends plug in here later.
public protocol SopsKeyService: Sendable {
    /// The metadata list this service handles: "age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault".
    var keyType: String { get }
    /// Unwraps the data key (or Shamir share) stored in `entry.enc`.
    func decrypt(entry: SopsKeyEntry) throws(CloakError) -> SecretBytes
    /// Wraps `dataKey` for the key `entry` names (its `enc` is ignored) and returns the completed entry.
    func encrypt(dataKey: SecretBytes, for entry: SopsKeyEntry) throws(CloakError) -> SopsKeyEntry
}

/// Recovers and distributes the data key across key groups (A.8).
public enum DataKey {
    /// Decrypts the data key: in each group the first entry that unwraps wins (age first, then pgp, then the rest in
    /// file order); with several groups, `shamir_threshold` shares are combined.
    public static func recover(
        _ metadata: SopsMetadata, services: [any SopsKeyService], file: String
    ) throws(CloakError) -> SecretBytes {
        var byType: [String: any SopsKeyService] = [:]
        for s in services where byType[s.keyType] == nil { byType[s.keyType] = s }
        var parts: [SecretBytes] = []
        var failures: [String] = []
        let threshold = metadata.keyGroups.count > 1 ? metadata.effectiveThreshold : 1
        for (gi, group) in metadata.keyGroups.enumerated() {
            let ordered = group.entries.filter { $0.type == "age" } + group.entries.filter { $0.type == "pgp" }
                + group.entries.filter { $0.type != "age" && $0.type != "pgp" }
            var got: SecretBytes?
            for entry in ordered {
                guard let service = byType[entry.type] else {
                    failures.append("\(entry.type) \(entry.identifier): no key service for \(entry.type) is configured")
                    continue
                }
                do {
                    got = try service.decrypt(entry: entry)
                    break
                } catch {
                    failures.append("\(entry.type) \(entry.identifier): \(error.message)")
                }
            }
            if let got {
                parts.append(got)
                if parts.count >= threshold { break }
            } else if metadata.keyGroups.count > 1 {
                failures.append("group \(gi + 1) failed")
            }
        }
        guard parts.count >= threshold, !parts.isEmpty else {
            throw recoveryError(metadata, failures: failures, parts: parts.count, threshold: threshold, file: file)
        }
        if metadata.keyGroups.count == 1 {
            guard parts[0].count == 32 else { throw CloakError(.decrypt, "\(file): the data key is not 32 bytes") }
            return parts[0]
        }
        let key = try Shamir.combine(Array(parts.prefix(threshold)))
        guard key.count == 32 else { throw CloakError(.decrypt, "\(file): the recombined data key is not 32 bytes") }
        return key
    }

    private static func recoveryError(
        _ md: SopsMetadata, failures: [String], parts: Int, threshold: Int, file: String
    ) -> CloakError {
        let types = md.keyTypes
        var hint = ""
        if types.contains("age") {
            hint = " (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, or spec.age_key / spec.age_key_file; "
                + "generate a key with age-keygen -o keys.txt)"
        } else if types.contains("pgp") {
            hint = " (import the secret key into gpg)"
        } else {
            hint = " (check the identity and its decrypt permission on the key)"
        }
        let allAgeUnmatched = types == ["age"]
        let what = allAgeUnmatched ? "no age identity matched" : "no master key could decrypt it"
        let shamir = md.keyGroups.count > 1 ? "; shamir threshold \(threshold), \(parts) part(s) recovered" : ""
        let detail = failures.isEmpty ? "" : " [" + failures.joined(separator: "; ") + "]"
        return CloakError(.decrypt, "\(file): could not decrypt the data key: \(what)\(shamir)\(hint)\(detail)")
    }

    /// Wraps a (new) data key for every entry of every group; several groups get Shamir shares.
    public static func distribute(
        _ dataKey: SecretBytes, groups: [SopsKeyGroup], threshold: Int, services: [any SopsKeyService], file: String
    ) throws(CloakError) -> [SopsKeyGroup] {
        var byType: [String: any SopsKeyService] = [:]
        for s in services where byType[s.keyType] == nil { byType[s.keyType] = s }
        let secrets: [SecretBytes]
        if groups.count > 1 {
            secrets = try Shamir.split(dataKey, parts: groups.count, threshold: threshold > 0 ? threshold : groups.count)
        } else {
            secrets = [dataKey]
        }
        var out: [SopsKeyGroup] = []
        for (i, g) in groups.enumerated() {
            var entries: [SopsKeyEntry] = []
            for e in g.entries {
                guard let service = byType[e.type] else {
                    throw CloakError(.config, "\(file): no key service for \(e.type) keys is configured")
                }
                entries.append(try service.encrypt(dataKey: secrets[i], for: e))
            }
            out.append(SopsKeyGroup(entries))
        }
        return out
    }
}
