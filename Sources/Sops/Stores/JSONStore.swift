internal import Core
internal import YAML

/// sops's JSON store: one object per file, TAB indentation, Go escaping; comments are dropped. Reading and writing
/// go through the YAML module's JSON parser and writer, with key order and duplicate keys kept and every number a
/// float64 (sops 3.11).
struct JSONStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        let v = try Self.parse(bytes, file: file)
        guard case .mapping(let items) = v else {
            throw CloakError(.config, "\(file): the top level of a SOPS JSON file must be an object")
        }
        let (docs, meta) = Self.separateMetadata([items])
        return LoadedDocuments(documents: docs, metadata: meta)
    }

    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        var items = documents.first ?? []
        if let metadata { items.append(.entry("sops", metadata)) }
        let indent = options.jsonIndent.map { String(repeating: " ", count: $0) } ?? "\t"
        // Decrypted text lives in the transient node tree and the serialized text of this call only.
        let node = try Self.node(.mapping(items))
        return Array(JSON.serialize(node, options: JSONOptions(indent: indent)).utf8)
    }

    /// Parses a JSON document into a SOPS value the way sops does: every number becomes a float64.
    static func parse(_ bytes: [UInt8], file: String) throws(CloakError) -> SopsValue {
        try value(try JSON.parse(String(decoding: bytes, as: UTF8.self), file: file))
    }

    private static func value(_ node: Node) throws(CloakError) -> SopsValue {
        switch node.content {
        case .mapping(let pairs):
            var items: [SopsItem] = []
            items.reserveCapacity(pairs.count)
            for pair in pairs { items.append(.entry(pair.key.scalarText ?? "", try value(pair.value))) }
            return .mapping(items)
        case .sequence(let nodes):
            var elements: [SopsValue] = []
            elements.reserveCapacity(nodes.count)
            for item in nodes { elements.append(try value(item)) }
            return .list(elements)
        case .scalar(let text, let style):
            if style != .plain { return .leaf(.string(text)) }
            switch text {
            case "true": return .leaf(.typed(.bool, "True"))
            case "false": return .leaf(.typed(.bool, "False"))
            case "null": return .null
            default:
                guard let d = Double(text), d.isFinite else {
                    throw CloakError(.config, "invalid JSON: number \(text) does not fit a float64", at: node.location)
                }
                return .leaf(.typed(.float, GoFloat.formatF(d)))
            }
        }
    }

    /// The node `JSON.serialize` writes as Go's `encoding/json` writes the SOPS value.
    private static func node(_ value: SopsValue) throws(CloakError) -> Node {
        switch value {
        case .mapping(let items):
            var pairs: [Node.Pair] = []
            for case .entry(let key, let v) in items { pairs.append(Node.Pair(key: .string(key), value: try node(v))) }
            return .mapping(pairs)
        case .list(let elements):
            var items: [Node] = []
            for element in elements {
                if case .comment = element { continue }
                items.append(try node(element))
            }
            return .sequence(items)
        case .null, .comment:
            return .null
        case .leaf(let leaf):
            switch leaf.type {
            case .str, .time, .comment: return .string(leaf.bytes.unsafeString())
            case .bytes: return .string(leaf.bytes.withUnsafeBytes { Base64.encode($0) })
            case .int: return .plain(leaf.bytes.unsafeString())
            case .bool: return .plain((MetadataCodec.parseBool(leaf.bytes.unsafeString()) ?? false) ? "true" : "false")
            case .float:
                let d = leaf.doubleValue
                guard let text = GoFloat.formatJSON(d) else {
                    throw CloakError(.decrypt, "json: unsupported value: \(d.isNaN ? "NaN" : "Inf")")
                }
                return .plain(text)
            }
        }
    }
}

/// sops's binary store: the whole file is the string value `data`; encrypted form is JSON.
struct BinaryStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        // An encrypted binary file is JSON with a `sops` key; anything else is raw data.
        if bytes.first == UInt8(ascii: "{"), let loaded = try? JSONStore().load(bytes, file: file),
           loaded.metadata != nil
        {
            return loaded
        }
        var copy = bytes
        return LoadedDocuments(documents: [[.entry("data", .leaf(SopsLeaf(type: .str, bytes: SecretBytes(consuming: &copy))))]])
    }

    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        if metadata != nil {
            return try JSONStore().emit(documents, metadata: metadata, flatKeyOrder: nil, options: options)
        }
        for item in documents.first ?? [] {
            if case .entry("data", .leaf(let l)) = item { return l.bytes.withUnsafeBytes { Array($0) } }
        }
        throw CloakError(.decrypt, "binary file has no 'data' key")
    }
}
