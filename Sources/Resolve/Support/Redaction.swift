public import YAML

/// Display-time transformations for describe output.
public enum Redaction {
    /// The default mask text.
    public static let mask = "<MASKED>"

    /// Replaces every unresolved `!secret …` node with `replacement`, without touching any backend.
    public static func maskSecretTags(_ node: Node, replacement: String = mask) -> Node {
        if node.tag == "!secret" { return Node(.scalar(replacement, .doubleQuoted), location: node.location) }
        switch node.content {
        case .scalar:
            return node
        case .sequence(let items):
            var out = node
            out.content = .sequence(items.map { maskSecretTags($0, replacement: replacement) })
            return out
        case .mapping(let pairs):
            var out = node
            out.content = .mapping(pairs.map { Node.Pair(key: $0.key, value: maskSecretTags($0.value, replacement: replacement)) })
            return out
        }
    }

    /// Sorts mapping keys recursively (as Atmos prints maps) for stable output.
    public static func sortedKeys(_ node: Node) -> Node {
        switch node.content {
        case .scalar:
            return node
        case .sequence(let items):
            var out = node
            out.content = .sequence(items.map { sortedKeys($0) })
            return out
        case .mapping(let pairs):
            var out = node
            out.content = .mapping(
                pairs.sorted { ($0.key.scalarText ?? "") < ($1.key.scalarText ?? "") }
                    .map { Node.Pair(key: $0.key, value: sortedKeys($0.value)) })
            return out
        }
    }
}
