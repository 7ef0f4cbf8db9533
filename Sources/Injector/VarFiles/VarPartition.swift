public import Core
public import YAML

/// Splits a component's `vars` into what may be written to a var file and what must travel in the environment:
/// a top-level var is secret-bearing when any string leaf (or the text of any scalar) contains a resolved secret or
/// one of its derived forms (base64, URL- or JSON-escaped).
public struct VarPartition: Sendable {
    /// Vars safe to write (document order).
    public var plain: [(name: String, value: Node)] = []
    /// Secret-bearing vars: name and environment text (strings verbatim, anything else JSON).
    public var secret: [(name: String, value: SecretBytes)] = []

    /// Partitions `vars` (with `!secret` already resolved) against the resolved `secrets`.
    public init(vars: Node, secrets: [SecretBytes], literals: [String] = []) {
        let detector = MaskSet(secrets: secrets, literals: literals, replacement: "\u{0}")
        for pair in vars.pairs ?? [] {
            guard let name = pair.key.scalarText else { continue }
            if !detector.isEmpty && VarPartition.bearsSecret(pair.value, detector) {
                var bytes = Array(VarPartition.text(pair.value).utf8)
                secret.append((name, SecretBytes(consuming: &bytes)))
            } else {
                plain.append((name, pair.value))
            }
        }
    }

    private static func bearsSecret(_ node: Node, _ detector: MaskSet) -> Bool {
        switch node.content {
        case .scalar(let text, _):
            let bytes = Array(text.utf8)
            return detector.mask(bytes) != bytes
        case .sequence(let items): return items.contains { bearsSecret($0, detector) }
        case .mapping(let pairs): return pairs.contains { bearsSecret($0.key, detector) || bearsSecret($0.value, detector) }
        }
    }

    /// Environment text: strings verbatim, anything else JSON.
    static func text(_ node: Node) -> String {
        if node.isScalar && node.scalarValue.isString { return node.scalarText ?? "" }
        return JSON.serialize(node, options: JSONOptions(indent: nil, escapeHTML: false, trailingNewline: false))
    }
}

/// Renders var files in the formats the tools read from any path (no extension sniffing needed).
public enum VarFileFormat {
    /// `name = <JSON value>` lines: valid HCL for Terraform and Packer `-var-file`, whatever the file is called.
    public static func hcl(_ vars: [(name: String, value: Node)]) -> [UInt8] {
        var out = ""
        for (name, value) in vars {
            let json = JSON.serialize(value, options: JSONOptions(indent: nil, escapeHTML: false, trailingNewline: false))
            out += "\(name) = \(json)\n"
        }
        return Array(out.utf8)
    }

    /// A JSON object (also valid YAML, for Helmfile state values and Ansible extra vars).
    public static func json(_ vars: [(name: String, value: Node)], pretty: Bool = true) -> [UInt8] {
        let node = Node.mapping(vars.map { Node.Pair(key: .string($0.name), value: $0.value) })
        return Array(JSON.serialize(node, options: JSONOptions(indent: pretty ? "  " : nil, escapeHTML: false, trailingNewline: pretty)).utf8)
    }

    /// A var as `TF_VAR_`/`PKR_VAR_` text: strings verbatim, anything else JSON (which the tools parse as HCL).
    public static func envText(_ node: Node) -> String { VarPartition.text(node) }
}
