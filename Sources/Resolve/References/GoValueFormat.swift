public import YAML

/// Go's `%v` for a decoded YAML/JSON value, as vals interpolates a reference embedded in a longer string (C.5):
/// strings verbatim, integers in decimal, floats shortest (`1.5`, `1e+21`), `true`/`false`, null as `<nil>`,
/// maps as `map[a:1 b:two]` with sorted keys, lists as `[a b]`.
public enum GoValueFormat {
    /// `%v` of `node`.
    public static func format(_ node: Node) -> String {
        switch node.content {
        case .scalar(let text, _):
            switch node.scalarValue {
            case .null: return "<nil>"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .uint(let u): return String(u)
            case .float(let d): return GoFloat.formatV(d)
            case .timestamp, .string: return text
            }
        case .sequence(let items):
            return "[" + items.map(format).joined(separator: " ") + "]"
        case .mapping(let pairs):
            let entries = pairs.map { (format($0.key), format($0.value)) }.sorted { $0.0 < $1.0 }
            return "map[" + entries.map { "\($0.0):\($0.1)" }.joined(separator: " ") + "]"
        }
    }

    /// Go's type name of a decoded value, for messages (`string`, `int`, `[]interface {}`, …).
    public static func typeName(_ node: Node) -> String {
        switch node.content {
        case .scalar:
            switch node.scalarValue {
            case .null: return "<nil>"
            case .bool: return "bool"
            case .int: return "int"
            case .uint: return "uint64"
            case .float: return "float64"
            case .timestamp, .string: return "string"
            }
        case .sequence: return "[]interface {}"
        case .mapping: return "map[string]interface {}"
        }
    }

    /// Whether the value is a scalar other than null (what a nested reference may resolve to).
    public static func isNonNullScalar(_ node: Node) -> Bool {
        node.isScalar && !node.isNull
    }
}
