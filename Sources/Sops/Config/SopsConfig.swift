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
        return try creationRule(for: path, explicitKeys: [])
    }

    /// The rule for creating `path`: one group of `explicitKeys` when there are any (as sops's key flags),
    /// otherwise the nearest `.sops.yaml`; `kmsContext` (`--encryption-context`) goes on its flat `kms` keys.
    public static func creationRule(
        for path: String, explicitKeys: [SopsKeyEntry], kmsContext: [String: String] = [:]
    ) throws(CloakError) -> SopsCreationRule {
        if !explicitKeys.isEmpty { return SopsCreationRule(keyGroups: [SopsKeyGroup(SopsMasterKeys.unique(explicitKeys))]) }
        let abs = absolute(path)
        var dir = parent(abs)
        for _ in 0..<100 {
            let candidate = (dir == "/" ? "" : dir) + "/.sops.yaml"
            if FileSystem.exists(candidate) {
                let rel = String(abs.dropFirst(dir == "/" ? 1 : dir.count + 1))
                if let rule = try rule(
                    in: try FileSystem.readBytes(candidate), file: candidate, relativePath: rel, kmsContext: kmsContext)
                {
                    return rule
                }
                throw CloakError(.config, "failed to resolve SOPS recipients (set spec.age_recipients or add a matching "
                    + ".sops.yaml creation rule): no creation rule in \(candidate) matches \(rel)")
            }
            if dir == "/" { break }
            dir = parent(dir)
        }
        throw CloakError(.config, "failed to resolve SOPS recipients (set spec.age_recipients or add a matching "
            + ".sops.yaml creation rule): no .sops.yaml above \(path)")
    }

    /// The first matching creation rule in a `.sops.yaml` text, or nil. Every rule's keys are checked, so a typo in
    /// any rule is reported.
    public static func rule(
        in bytes: [UInt8], file: String, relativePath: String, kmsContext: [String: String] = [:]
    ) throws(CloakError) -> SopsCreationRule? {
        let docs = try YAMLLoader.load(bytes: bytes, file: file)
        guard let root = docs.first, let rulesNode = root["creation_rules"] else { return nil }
        guard let rules = rulesNode.items else {
            throw CloakError(.config, "creation_rules must be a list of rules", at: rulesNode.location)
        }
        for r in rules {
            guard r.isMapping else { throw CloakError(.config, "a creation rule must be a mapping", at: r.location) }
            try SopsRuleParser.checkRuleKeys(r)
        }
        for r in rules {
            let pattern = r["path_regex"]?.scalarText ?? ""
            if !pattern.isEmpty {
                let re: Regex<AnyRegexOutput>
                do { re = try Regex(pattern) } catch {
                    throw CloakError(.config, "invalid path_regex '\(pattern)'", at: r["path_regex"]?.location)
                }
                if !relativePath.contains(re) { continue }
            }
            return try SopsRuleParser.parse(r, kmsContext: kmsContext)
        }
        return nil
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
