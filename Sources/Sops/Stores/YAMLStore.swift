public import Core
import YAML

/// sops's YAML store: multi-document, comments kept as comment items (end-of-line comments move above their key,
/// as sops 3.11 does), go-yaml v3 scalar typing, the `sops` block appended to every document.
struct YAMLStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        let docs = try YAMLLoader.loadDocuments(bytes: bytes, file: file, options: LoadOptions(comments: true))
        var branches: [[SopsItem]] = []
        for doc in docs {
            var items: [SopsItem] = []
            switch doc.root.content {
            case .mapping:
                guard case .mapping(let converted) = try convert(doc.root, file: file) else { continue }
                items = converted
            case .scalar where doc.root.isNull:
                if docs.count == 1 && doc.footComments.isEmpty { continue }
            default:
                throw CloakError(.config, "\(file): a SOPS YAML document must be a mapping", at: doc.root.location)
            }
            for c in doc.footComments { items.append(.comment(SecretBytes.text(c))) }
            branches.append(items)
        }
        let (split, meta) = Self.separateMetadata(branches)
        return LoadedDocuments(documents: split, metadata: meta)
    }

    private func comments(_ c: Comments) -> [SecretBytes] {
        var out = c.before.map { SecretBytes.text($0) }
        if let t = c.trailing { out.append(SecretBytes.text(t)) }
        return out
    }

    private func convert(_ node: Node, file: String) throws(CloakError) -> SopsValue {
        switch node.content {
        case .mapping(let pairs):
            var items: [SopsItem] = []
            for pair in pairs {
                for c in comments(pair.key.comments) { items.append(.comment(c)) }
                // A nested collection's own comments belong above its key; a scalar's trailing one too.
                for c in comments(pair.value.comments) { items.append(.comment(c)) }
                guard case .string(let key) = pair.key.scalarValue, pair.key.isScalar else {
                    throw CloakError(.config, "\(file): tree contains a non-string key; only string keys are supported",
                                     at: pair.key.location)
                }
                var value = pair.value
                value.comments = .none
                items.append(.entry(key, try convert(value, file: file)))
            }
            return .mapping(items)
        case .sequence(let nodes):
            var out: [SopsValue] = []
            for n in nodes {
                for c in comments(n.comments) { out.append(.comment(c)) }
                var v = n
                v.comments = .none
                out.append(try convert(v, file: file))
            }
            return .list(out)
        case .scalar:
            switch node.scalarValue {
            case .null: return .null
            case .bool(let b): return .leaf(.typed(.bool, b ? "True" : "False"))
            case .int(let i): return .leaf(.typed(.int, String(i)))
            case .uint:
                throw CloakError(.config, "\(file): cannot walk value, unknown type: uint64 (integer beyond int64)",
                                 at: node.location)
            case .float(let d): return .leaf(.typed(.float, GoFloat.formatF(d)))
            case .timestamp(let t): return .leaf(.typed(.time, t))
            case .string(let s): return .leaf(.string(s))
            }
        }
    }
}
