public import Core
public import YAML

/// How lists combine when two layers both define one (`settings.list_merge_strategy`).
public enum ListMergeStrategy: String, Sendable {
    /// The later list replaces the earlier one (default).
    case replace
    /// The later list's items are appended to the earlier one.
    case append
    /// Index by index: mappings merge, for scalars the earlier value stays.
    case merge

    /// Parses a strategy value, naming the location on error.
    public init(node: Node) throws(CloakError) {
        guard let text = node.scalarText, let s = ListMergeStrategy(rawValue: text) else {
            throw CloakError(
                .config, "invalid list_merge_strategy \"\(node.scalarText ?? "?")\" (use replace, append or merge)",
                at: node.location)
        }
        self = s
    }
}

/// Deep merge of document trees, as Atmos merges stack layers: mappings merge recursively (keys keep the order of
/// first appearance), lists follow the strategy, and anything else is replaced by the later layer.
public enum DeepMerge {
    /// Merges `overlay` on top of `base`.
    public static func merge(_ base: Node, _ overlay: Node, lists: ListMergeStrategy = .replace) -> Node {
        switch (base.content, overlay.content) {
        case (.mapping(let a), .mapping(let b)):
            if a.isEmpty { return overlay }
            if b.isEmpty { return base }
            var result = base
            result.content = .mapping(mergePairs(a, b, lists: lists))
            return result
        case (.sequence(let a), .sequence(let b)):
            switch lists {
            case .replace:
                return overlay
            case .append:
                var result = overlay
                result.content = .sequence(a + b)
                return result
            case .merge:
                var items: [Node] = []
                items.reserveCapacity(max(a.count, b.count))
                for i in 0..<max(a.count, b.count) {
                    if i < a.count && i < b.count {
                        items.append(a[i].isMapping && b[i].isMapping ? merge(a[i], b[i], lists: lists) : a[i])
                    } else {
                        items.append(i < a.count ? a[i] : b[i])
                    }
                }
                var result = overlay
                result.content = .sequence(items)
                return result
            }
        default:
            return overlay
        }
    }

    /// Merges every layer left to right (later layers win); nil layers are skipped.
    public static func merge(_ layers: [Node?], lists: ListMergeStrategy = .replace) -> Node? {
        var result: Node?
        for layer in layers {
            guard let layer else { continue }
            result = result.map { merge($0, layer, lists: lists) } ?? layer
        }
        return result
    }

    private static func mergePairs(_ a: [Node.Pair], _ b: [Node.Pair], lists: ListMergeStrategy) -> [Node.Pair] {
        var result = a
        result.reserveCapacity(a.count + b.count)
        if a.count * b.count <= 64 {
            for pair in b {
                if let key = pair.key.scalarText, let i = result.firstIndex(where: { $0.key.scalarText == key }) {
                    result[i].value = merge(result[i].value, pair.value, lists: lists)
                } else {
                    result.append(pair)
                }
            }
            return result
        }
        var index: [String: Int] = [:]
        index.reserveCapacity(a.count + b.count)
        for (i, pair) in result.enumerated() {
            if let key = pair.key.scalarText { index[key] = i }
        }
        for pair in b {
            if let key = pair.key.scalarText, let i = index[key] {
                result[i].value = merge(result[i].value, pair.value, lists: lists)
            } else {
                if let key = pair.key.scalarText { index[key] = result.count }
                result.append(pair)
            }
        }
        return result
    }
}
