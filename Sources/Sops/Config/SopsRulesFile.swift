public import Core
import YAML

/// Adds a recipient to the `.sops.yaml` creation rule with a given `path_regex` (creating the rule or file).
public enum SopsRulesFile {
    public static func upsert(path: String, pathRegex: String, recipient: String) throws(CloakError) {
        try AtomicFile.update(path: path, mode: 0o644) { (existing) throws(CloakError) -> [UInt8] in
            var root: Node = .mapping([])
            if let existing, !existing.isEmpty {
                root = try YAMLLoader.loadSingle(String(decoding: existing, as: UTF8.self), file: path, options: LoadOptions(comments: true))
                if root.isNull { root = .mapping([]) }
                guard root.isMapping else { throw CloakError(.config, "\(path): expected a mapping with creation_rules") }
            }
            var rules = root["creation_rules"]?.items ?? []
            if let i = rules.firstIndex(where: { $0["path_regex"]?.scalarText == pathRegex }) {
                var rule = rules[i]
                let current = (rule["age"]?.scalarText ?? "").split(separator: ",").map { String($0).trimmingSpaces() }
                    .filter { !$0.isEmpty }
                if current.contains(recipient) { return existing ?? [] }
                rule["age"] = .string((current + [recipient]).joined(separator: ","))
                rules[i] = rule
            } else {
                rules.append(.mapping(["path_regex": .string(pathRegex), "age": .string(recipient)]))
            }
            root["creation_rules"] = .sequence(rules)
            return Array(YAMLEmitter.emit([root], options: EmitOptions(indent: 4)).utf8)
        }
    }
}

