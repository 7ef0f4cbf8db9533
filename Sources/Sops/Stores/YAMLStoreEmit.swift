internal import Core
internal import YAML

extension YAMLStore {
    /// Writes the documents through the YAML module's emitter, laid out as sops's go-yaml v3 encoder does: every
    /// comment item on its own line at the column of the entry that follows it (a collection item's leading
    /// comments above its dash), the `sops` block as the last key of every document.
    ///
    /// Decrypted text becomes `String`s in the transient `Node` tree and emitted text of this call only.
    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        var nodes: [YAMLDocument] = []
        nodes.reserveCapacity(documents.count)
        for document in documents {
            var items = document
            if let metadata { items.append(.entry("sops", metadata)) }
            nodes.append(YAMLDocument(root: Self.mappingNode(items)))
        }
        return Array(YAMLEmitter.emit(documents: nodes, options: EmitOptions(indent: options.yamlIndent)).utf8)
    }

    private static func node(_ value: SopsValue) -> Node {
        switch value {
        case .mapping(let items): return mappingNode(items)
        case .list(let elements): return sequenceNode(elements)
        case .null, .comment: return .null
        case .leaf(let leaf):
            switch leaf.type {
            case .str, .bytes, .comment: return .string(leaf.bytes.unsafeString())
            case .int, .time: return .plain(leaf.bytes.unsafeString())
            case .bool: return .plain((MetadataCodec.parseBool(leaf.bytes.unsafeString()) ?? false) ? "true" : "false")
            case .float: return .plain(GoFloat.formatYAML(leaf.doubleValue))
            }
        }
    }

    private static func mappingNode(_ items: [SopsItem]) -> Node {
        var pairs: [Node.Pair] = []
        var pending: [String] = []
        for item in items {
            switch item {
            case .comment(let text):
                pending.append(text.unsafeString())
            case .entry(let key, let value):
                var keyNode = Node.string(key)
                keyNode.comments.before = pending
                pending = []
                pairs.append(Node.Pair(key: keyNode, value: node(value)))
            }
        }
        return Node(.mapping(pairs), comments: Comments(after: pending))
    }

    private static func sequenceNode(_ elements: [SopsValue]) -> Node {
        var items: [Node] = []
        var pending: [String] = []
        for element in elements {
            if case .comment(let text) = element {
                pending.append(text.unsafeString())
                continue
            }
            var item = node(element)
            item.comments.before = pending + takeLeadingComments(&item)
            pending = []
            items.append(item)
        }
        return Node(.sequence(items), comments: Comments(after: pending))
    }

    /// Moves the comments above a collection's first entry out of it: sops writes them above the item's dash.
    private static func takeLeadingComments(_ node: inout Node) -> [String] {
        switch node.content {
        case .mapping(var pairs) where !pairs.isEmpty:
            let lines = pairs[0].key.comments.before
            pairs[0].key.comments.before = []
            node.content = .mapping(pairs)
            return lines
        case .sequence(var items) where !items.isEmpty:
            let lines = items[0].comments.before
            items[0].comments.before = []
            node.content = .sequence(items)
            return lines
        default:
            return []
        }
    }
}
