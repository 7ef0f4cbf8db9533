public import Core
public import YAML

/// Reads one `.sops.yaml` creation rule: its key groups (flat key fields, or `key_groups` with `merge`), Shamir
/// threshold and encryption rules. Keys cloak does not know, and key types it cannot create (`hckms`, `plugins`),
/// are errors at their line: a typo must not silently create a file for fewer keys than intended.
public enum SopsRuleParser {
    static let ruleKeys: Set<String> = [
        "path_regex", "kms", "aws_profile", "age", "pgp", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri",
        "key_groups", "shamir_threshold", "unencrypted_suffix", "encrypted_suffix", "unencrypted_regex",
        "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex", "mac_only_encrypted",
    ]
    static let groupKeys: Set<String> = ["merge", "kms", "gcp_kms", "azure_keyvault", "hc_vault", "age", "pgp"]
    static let unsupported: Set<String> = ["hckms", "plugins", "timeout"]

    /// Throws for the first key of a rule that cloak does not know or cannot create keys for.
    static func checkRuleKeys(_ node: Node) throws(CloakError) {
        try checkKeys(node, allowed: ruleKeys, what: "creation rule")
    }

    /// The creation rule in `node`; `kmsContext` (from `--encryption-context`) applies to the flat `kms` list.
    public static func parse(_ node: Node, kmsContext: [String: String] = [:]) throws(CloakError) -> SopsCreationRule {
        try checkKeys(node, allowed: ruleKeys, what: "creation rule")
        var groups: [SopsKeyGroup] = []
        if let kg = node["key_groups"] {
            guard let items = kg.items, !items.isEmpty else {
                throw CloakError(.config, "key_groups must be a non-empty list of key groups", at: kg.location)
            }
            for g in items { groups.append(SopsKeyGroup(SopsMasterKeys.unique(try group(g)))) }
        } else {
            groups = [SopsKeyGroup(SopsMasterKeys.unique(try flatGroup(node, kmsContext: kmsContext)))]
        }
        var threshold = 0
        if let t = node["shamir_threshold"] {
            guard let v = t.intValue, v >= 0 else {
                throw CloakError(.config, "shamir_threshold must be a whole number", at: t.location)
            }
            guard v <= groups.count else {
                throw CloakError(
                    .config, "shamir_threshold \(v) is more than the \(groups.count) key group(s) of the rule",
                    at: t.location)
            }
            threshold = Int(v)
        }
        return SopsCreationRule(keyGroups: groups, shamirThreshold: threshold, rules: try cryptRules(node))
    }

    private static func flatGroup(_ r: Node, kmsContext: [String: String]) throws(CloakError) -> [SopsKeyEntry] {
        var out: [SopsKeyEntry] = []
        for a in try list(r["age"], "age") { out.append(.age(recipient: a, enc: "")) }
        for fp in try list(r["pgp"], "pgp") { out.append(SopsMasterKeys.pgp(fp)) }
        let profile = r["aws_profile"]?.scalarText ?? ""
        for arn in try list(r["kms"], "kms") {
            out += try located(r["kms"]) { () throws(CloakError) in
                try SopsMasterKeys.kms(arn, context: kmsContext, profile: profile)
            }
        }
        for id in try list(r["gcp_kms"], "gcp_kms") {
            out.append(try located(r["gcp_kms"]) { () throws(CloakError) in try SopsMasterKeys.gcpKMS(id) })
        }
        for url in try list(r["azure_keyvault"], "azure_keyvault") {
            out.append(try located(r["azure_keyvault"]) { () throws(CloakError) in
                try SopsMasterKeys.azureKeyVault(url: url)
            })
        }
        for uri in try list(r["hc_vault_transit_uri"], "hc_vault_transit_uri") {
            out.append(try located(r["hc_vault_transit_uri"]) { () throws(CloakError) in
                try SopsMasterKeys.vaultTransit(uri: uri)
            })
        }
        return out
    }

    private static func group(_ g: Node) throws(CloakError) -> [SopsKeyEntry] {
        guard g.isMapping else { throw CloakError(.config, "a key group must be a mapping", at: g.location) }
        try checkKeys(g, allowed: groupKeys, what: "key group")
        var out: [SopsKeyEntry] = []
        for sub in g["merge"]?.items ?? [] { out += try group(sub) }
        for a in try list(g["age"], "age") { out.append(.age(recipient: a, enc: "")) }
        for fp in try list(g["pgp"], "pgp") { out.append(SopsMasterKeys.pgp(fp)) }
        for k in try maps(g["kms"], "kms", ["arn", "role", "context", "aws_profile"]) {
            var context: [String: String] = [:]
            for p in k["context"]?.pairs ?? [] {
                if let key = p.key.scalarText { context[key] = p.value.scalarText ?? "" }
            }
            let arn = k["arn"]?.scalarText ?? ""
            out.append(try located(k) { () throws(CloakError) in
                try SopsMasterKeys.kms(
                    arn: arn, role: k["role"]?.scalarText ?? "", context: context,
                    profile: k["aws_profile"]?.scalarText ?? "")
            })
        }
        for k in try maps(g["gcp_kms"], "gcp_kms", ["resource_id"]) {
            let id = k["resource_id"]?.scalarText ?? ""
            out.append(try located(k) { () throws(CloakError) in try SopsMasterKeys.gcpKMS(id) })
        }
        for k in try maps(g["azure_keyvault"], "azure_keyvault", ["vaultUrl", "key", "version"]) {
            out.append(try located(k) { () throws(CloakError) in
                try SopsMasterKeys.azureKeyVault(
                    vaultURL: k["vaultUrl"]?.scalarText ?? "", name: k["key"]?.scalarText ?? "",
                    version: k["version"]?.scalarText ?? "")
            })
        }
        for uri in try list(g["hc_vault"], "hc_vault") {
            out.append(try located(g["hc_vault"]) { () throws(CloakError) in try SopsMasterKeys.vaultTransit(uri: uri) })
        }
        return out
    }

    private static func cryptRules(_ r: Node) throws(CloakError) -> SopsCryptRules {
        var rules = SopsCryptRules()
        rules.unencryptedSuffix = r["unencrypted_suffix"]?.scalarText
        rules.encryptedSuffix = r["encrypted_suffix"]?.scalarText
        rules.unencryptedRegex = r["unencrypted_regex"]?.scalarText
        rules.encryptedRegex = r["encrypted_regex"]?.scalarText
        rules.unencryptedCommentRegex = r["unencrypted_comment_regex"]?.scalarText
        rules.encryptedCommentRegex = r["encrypted_comment_regex"]?.scalarText
        rules.macOnlyEncrypted = r["mac_only_encrypted"]?.boolValue ?? false
        return rules
    }

    private static func checkKeys(_ n: Node, allowed: Set<String>, what: String) throws(CloakError) {
        for p in n.pairs ?? [] {
            let key = p.key.scalarText ?? ""
            if unsupported.contains(key) {
                throw CloakError(.config, "\(what) key '\(key)' is not supported by cloak (use sops for it)", at: p.key.location)
            }
            if !allowed.contains(key) {
                throw CloakError(
                    .config, "unknown \(what) key '\(key)' (known: \(allowed.sorted().joined(separator: ", ")))",
                    at: p.key.location)
            }
        }
    }

    /// A string or list of strings; every string may itself be a comma-separated list.
    private static func list(_ n: Node?, _ key: String) throws(CloakError) -> [String] {
        guard let n, !n.isNull else { return [] }
        if let text = n.scalarText { return SopsMasterKeys.split(text) }
        guard let items = n.items else {
            throw CloakError(.config, "\(key) must be a string or a list of strings", at: n.location)
        }
        var out: [String] = []
        for i in items {
            guard let text = i.scalarText else {
                throw CloakError(.config, "\(key) must be a string or a list of strings", at: i.location)
            }
            out += SopsMasterKeys.split(text)
        }
        return out
    }

    /// A list of mappings with only the given keys.
    private static func maps(_ n: Node?, _ key: String, _ fields: Set<String>) throws(CloakError) -> [Node] {
        guard let n, !n.isNull else { return [] }
        guard let items = n.items else { throw CloakError(.config, "\(key) must be a list of mappings", at: n.location) }
        for i in items {
            guard i.isMapping else { throw CloakError(.config, "\(key) must be a list of mappings", at: i.location) }
            try checkKeys(i, allowed: fields, what: "\(key) entry")
        }
        return items
    }

    /// Runs `body`, giving its error the location of `node` when it has none.
    private static func located<T>(_ node: Node?, _ body: () throws(CloakError) -> T) throws(CloakError) -> T {
        do { return try body() } catch {
            var e = error
            if e.location == nil { e.location = node?.location }
            throw e
        }
    }
}
