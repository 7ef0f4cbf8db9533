import Core
import Resolve
import YAML

/// How `get`/`pull` render values: strings as they are, everything else as JSON (never Go's `%v`).
enum ValueOutput {
    /// The value as a document node (text that is itself a JSON object or array is parsed, so `--path` works on it).
    static func node(_ value: SecretValue) throws(CloakError) -> Node {
        if case .text(let bytes) = value, let first = bytes.withUnsafeBytes({ $0.first }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            if let parsed = try? JSON.parse(bytes.unsafeString(), file: "secret value"), parsed.isMapping || parsed.isSequence {
                return parsed
            }
        }
        return try SecretReferenceResolver.valueNode(value, location: nil)
    }

    /// Text form: a string scalar as is, anything else as compact JSON.
    static func text(_ node: Node) -> String {
        if node.isScalar, node.scalarValue.isString { return node.scalarText ?? "" }
        return JSON.serialize(node, options: JSONOptions(indent: nil, sortKeys: true, escapeHTML: false, trailingNewline: false))
    }

    /// JSON form (pretty, keys sorted).
    static func json(_ node: Node) -> String {
        JSON.serialize(node, options: JSONOptions(indent: "  ", sortKeys: true, escapeHTML: false, trailingNewline: true))
    }

    /// Registers a value and, for structured values, every scalar inside it, so each masks on its own.
    static func register(_ value: SecretValue, with masker: OutputMasker) {
        masker.register(value)
        guard let node = try? node(value) else { return }
        var leaves: [String] = []
        collect(node, into: &leaves)
        for leaf in leaves where !leaf.isEmpty {
            var bytes = Array(leaf.utf8)
            masker.register(.text(SecretBytes(consuming: &bytes)))
        }
        if !(node.isScalar) {
            var compact = Array(text(node).utf8)
            masker.register(.text(SecretBytes(consuming: &compact)))
        }
    }

    private static func collect(_ node: Node, into out: inout [String]) {
        switch node.content {
        case .scalar(let s, _): out.append(s)
        case .sequence(let items): for i in items { collect(i, into: &out) }
        case .mapping(let pairs): for p in pairs { collect(p.value, into: &out) }
        }
    }
}
