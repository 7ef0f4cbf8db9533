public import Core

/// Converts the `sops:` block between its tree form (as stores load and emit it) and `SopsMetadata`.
enum MetadataCodec {
    static let keyTypes = ["kms", "gcp_kms", "azure_kv", "hc_vault", "age", "pgp", "hckms"]

    // MARK: parse

    /// Reads metadata in any key order; tolerates legacy empty lists. `file` only names the file in errors.
    static func parse(_ value: SopsValue, file: String) throws(CloakError) -> SopsMetadata {
        guard case .mapping(let items) = value else {
            throw CloakError(.decrypt, "\(file): sops metadata is not a mapping")
        }
        var md = SopsMetadata(keyGroups: [], version: "")
        var topGroup: [SopsKeyEntry] = []
        var groups: [SopsKeyGroup]?
        for item in items {
            guard case .entry(let key, let v) = item else { continue }
            switch key {
            case "lastmodified": md.lastModified = scalar(v) ?? ""
            case "mac": md.mac = scalar(v) ?? ""
            case "version": md.version = scalar(v) ?? ""
            case "shamir_threshold":
                guard let s = scalar(v), let n = Int(s) else {
                    throw CloakError(.decrypt, "\(file): sops.shamir_threshold is not an integer")
                }
                md.shamirThreshold = n
            case "mac_only_encrypted": md.rules.macOnlyEncrypted = parseBool(scalar(v) ?? "") ?? false
            case "unencrypted_suffix": md.rules.unencryptedSuffix = nonEmpty(scalar(v))
            case "encrypted_suffix": md.rules.encryptedSuffix = nonEmpty(scalar(v))
            case "unencrypted_regex": md.rules.unencryptedRegex = nonEmpty(scalar(v))
            case "encrypted_regex": md.rules.encryptedRegex = nonEmpty(scalar(v))
            case "unencrypted_comment_regex": md.rules.unencryptedCommentRegex = nonEmpty(scalar(v))
            case "encrypted_comment_regex": md.rules.encryptedCommentRegex = nonEmpty(scalar(v))
            case "key_groups":
                guard case .list(let gs) = v else {
                    if case .null = v { continue }
                    throw CloakError(.decrypt, "\(file): sops.key_groups is not a list")
                }
                var parsed: [SopsKeyGroup] = []
                for g in gs {
                    guard case .mapping(let gItems) = g else { continue }
                    var entries: [SopsKeyEntry] = []
                    for gi in gItems {
                        guard case .entry(let t, let lv) = gi, keyTypes.contains(t) else { continue }
                        entries += try parseEntries(type: t, lv, file: file)
                    }
                    parsed.append(SopsKeyGroup(entries))
                }
                groups = parsed
            default:
                if keyTypes.contains(key) { topGroup += try parseEntries(type: key, v, file: file) }
            }
        }
        if let groups {
            md.keyGroups = groups
            md.usesKeyGroups = true
        } else {
            md.keyGroups = [SopsKeyGroup(topGroup)]
            md.usesKeyGroups = false
        }
        if md.rules.activeCount > 1 {
            throw CloakError(
                .decrypt,
                "\(file): cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, "
                    + "unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex in the same file")
        }
        if md.keyGroups.allSatisfy({ $0.entries.isEmpty }) {
            throw CloakError(.decrypt, "\(file): no keys found in the sops metadata")
        }
        return md
    }

    private static func parseEntries(type: String, _ v: SopsValue, file: String) throws(CloakError) -> [SopsKeyEntry] {
        switch v {
        case .null: return []
        case .list(let elements):
            var out: [SopsKeyEntry] = []
            for e in elements {
                guard case .mapping(let fields) = e else { continue }
                var entry = SopsKeyEntry(type: type, fields: [:])
                for f in fields {
                    guard case .entry(let name, let fv) = f else { continue }
                    if name == "context", case .mapping(let ctx) = fv {
                        for c in ctx {
                            if case .entry(let ck, let cv) = c { entry.context[ck] = scalar(cv) ?? "" }
                        }
                    } else if let s = scalar(fv) {
                        entry.fields[name] = s
                    }
                }
                out.append(entry)
            }
            return out
        default:
            throw CloakError(.decrypt, "\(file): sops.\(type) is not a list")
        }
    }

    static func scalar(_ v: SopsValue) -> String? {
        if case .leaf(let l) = v {
            if l.type == .bool { return parseBool(l.bytes.publicString).map { $0 ? "true" : "false" } }
            return l.bytes.publicString
        }
        return nil
    }

    private static func nonEmpty(_ s: String?) -> String? { (s ?? "").isEmpty ? nil : s }

    /// Go `strconv.ParseBool`.
    static func parseBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    // MARK: emit

    /// The `sops:` block as a tree, in the chosen layout's key order.
    static func emit(_ md: SopsMetadata, layout: SopsMetadataLayout, binary: Bool = false) -> SopsValue {
        var out: [(String, SopsValue)] = []
        if md.shamirThreshold > 0 { out.append(("shamir_threshold", .leaf(.typed(.int, String(md.shamirThreshold))))) }
        if md.usesKeyGroups {
            let groups: [SopsValue] = md.keyGroups.map { g in
                var gi: [(String, SopsValue)] = []
                let always: Set<String> = ["hc_vault", "age"]
                for t in ["pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "age", "hckms"] {
                    let es = g.entries.filter { $0.type == t }
                    if es.isEmpty && !always.contains(t) { continue }
                    gi.append((t, .list(es.map { entryValue($0, layout: layout) })))
                }
                return .mapping(ordered(gi, layout))
            }
            out.append(("key_groups", .list(groups)))
        } else {
            let entries = md.keyGroups.first?.entries ?? []
            for t in ["kms", "gcp_kms", "azure_kv", "hc_vault", "age"] {
                let es = entries.filter { $0.type == t }
                if !es.isEmpty { out.append((t, .list(es.map { entryValue($0, layout: layout) }))) }
            }
        }
        out.append(("lastmodified", .leaf(.string(md.lastModified))))
        out.append(("mac", .leaf(.string(md.mac))))
        if !md.usesKeyGroups {
            for t in ["pgp", "hckms"] {
                let es = (md.keyGroups.first?.entries ?? []).filter { $0.type == t }
                if !es.isEmpty { out.append((t, .list(es.map { entryValue($0, layout: layout) }))) }
            }
        }
        if !binary {
            let r = md.rules
            let fields: [(String, String?)] = [
                ("unencrypted_suffix", r.unencryptedSuffix), ("encrypted_suffix", r.encryptedSuffix),
                ("unencrypted_regex", r.unencryptedRegex), ("encrypted_regex", r.encryptedRegex),
                ("unencrypted_comment_regex", r.unencryptedCommentRegex),
                ("encrypted_comment_regex", r.encryptedCommentRegex),
            ]
            for (k, v) in fields {
                if let v, !v.isEmpty { out.append((k, .leaf(.string(v)))) }
            }
            if r.macOnlyEncrypted { out.append(("mac_only_encrypted", .leaf(.typed(.bool, "true")))) }
        }
        out.append(("version", .leaf(.string(md.version))))
        return .mapping(ordered(out, layout))
    }

    private static func entryValue(_ e: SopsKeyEntry, layout: SopsMetadataLayout) -> SopsValue {
        var fs: [(String, SopsValue)] = []
        var seen: Set<String> = []
        for name in SopsKeyEntry.structOrder(for: e.type) {
            seen.insert(name)
            if name == "context" {
                if !e.context.isEmpty {
                    let ctx = e.context.keys.sorted().map { SopsItem.entry($0, .leaf(.string(e.context[$0] ?? ""))) }
                    fs.append(("context", .mapping(ctx)))
                }
                continue
            }
            let v = e.fields[name] ?? ""
            if v.isEmpty && SopsKeyEntry.omitEmpty(e.type, name) { continue }
            fs.append((name, .leaf(.string(v))))
        }
        for name in e.fields.keys.sorted() where !seen.contains(name) {
            fs.append((name, .leaf(.string(e.fields[name] ?? ""))))
        }
        return .mapping(ordered(fs, layout))
    }

    private static func ordered(_ pairs: [(String, SopsValue)], _ layout: SopsMetadataLayout) -> [SopsItem] {
        let p = layout == .sorted ? pairs.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) } : pairs
        return p.map { SopsItem.entry($0.0, $0.1) }
    }
}
