public import Core
import Glibc
import YAML

/// `.sops.yaml` creation rules: the nearest config searched upward from the target file's directory, first rule
/// whose `path_regex` matches the path relative to the config's directory.
public enum SopsConfig {
    /// The rule for creating `path` (explicit age recipients win), or the error the secret commands report.
    public static func creationRule(for path: String, ageRecipients: [String] = []) throws(CloakError) -> SopsCreationRule {
        let explicit = ageRecipients.filter { !$0.trimmingSpaces().isEmpty }
        if !explicit.isEmpty { return .age(explicit) }
        let abs = absolute(path)
        var dir = parent(abs)
        for _ in 0..<100 {
            let candidate = (dir == "/" ? "" : dir) + "/.sops.yaml"
            if FileSystem.exists(candidate) {
                let rel = String(abs.dropFirst(dir == "/" ? 1 : dir.count + 1))
                if let rule = try rule(in: try FileSystem.readBytes(candidate), file: candidate, relativePath: rel) { return rule }
                throw CloakError(.config, "failed to resolve SOPS recipients (set spec.age_recipients or add a matching "
                    + ".sops.yaml creation rule): no creation rule in \(candidate) matches \(rel)")
            }
            if dir == "/" { break }
            dir = parent(dir)
        }
        throw CloakError(.config, "failed to resolve SOPS recipients (set spec.age_recipients or add a matching "
            + ".sops.yaml creation rule): no .sops.yaml above \(path)")
    }

    /// The first matching creation rule in a `.sops.yaml` text, or nil.
    public static func rule(in bytes: [UInt8], file: String, relativePath: String) throws(CloakError) -> SopsCreationRule? {
        let docs = try YAMLLoader.load(bytes: bytes, file: file)
        guard let root = docs.first, let rules = root["creation_rules"]?.items else { return nil }
        for r in rules {
            let pattern = r["path_regex"]?.scalarText ?? ""
            if !pattern.isEmpty {
                let re: Regex<AnyRegexOutput>
                do { re = try Regex(pattern) } catch {
                    throw CloakError(.config, "invalid path_regex '\(pattern)'", at: r["path_regex"]?.location)
                }
                if !relativePath.contains(re) { continue }
            }
            var groups: [SopsKeyGroup] = []
            if let kg = r["key_groups"]?.items {
                for g in kg { groups.append(SopsKeyGroup(entries(g))) }
            } else {
                groups = [SopsKeyGroup(entries(r))]
            }
            var rules = SopsCryptRules()
            rules.unencryptedSuffix = r["unencrypted_suffix"]?.scalarText
            rules.encryptedSuffix = r["encrypted_suffix"]?.scalarText
            rules.unencryptedRegex = r["unencrypted_regex"]?.scalarText
            rules.encryptedRegex = r["encrypted_regex"]?.scalarText
            rules.unencryptedCommentRegex = r["unencrypted_comment_regex"]?.scalarText
            rules.encryptedCommentRegex = r["encrypted_comment_regex"]?.scalarText
            rules.macOnlyEncrypted = r["mac_only_encrypted"]?.boolValue ?? false
            let threshold = Int(r["shamir_threshold"]?.scalarText ?? "") ?? 0
            return SopsCreationRule(keyGroups: groups, shamirThreshold: threshold, rules: rules)
        }
        return nil
    }

    private static func list(_ n: Node?) -> [String] {
        guard let n else { return [] }
        let raw: [String] = n.items?.compactMap(\.scalarText) ?? [n.scalarText ?? ""]
        return raw.flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    private static func entries(_ g: Node) -> [SopsKeyEntry] {
        var seen: Set<String> = []
        var out: [SopsKeyEntry] = []
        for r in list(g["age"]) where seen.insert("age:" + r).inserted { out.append(.age(recipient: r, enc: "")) }
        for fp in list(g["pgp"]) where seen.insert("pgp:" + fp).inserted {
            out.append(SopsKeyEntry(type: "pgp", fields: ["fp": fp]))
        }
        return out
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        var buf = [CChar](repeating: 0, count: 4096)
        let cwd = getcwd(&buf, buf.count).map { _ in String(cString: buf) } ?? "."
        return normalize(cwd + "/" + path)
    }

    private static func normalize(_ p: String) -> String {
        var parts: [Substring] = []
        for c in p.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    private static func parent(_ p: String) -> String {
        guard let i = p.lastIndex(of: "/"), i != p.startIndex else { return "/" }
        return String(p[..<i])
    }
}
