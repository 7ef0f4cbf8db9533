public import YAML

/// A value during template execution: the data model Go templates see after YAML or JSON decoding into `any`.
public enum TemplateValue: Sendable, Equatable {
    /// Go's untyped `nil`; printed by an action as `<no value>`.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer (Go `int`).
    case int(Int)
    /// A float (Go `float64`).
    case float(Double)
    /// A string.
    case string(String)
    /// A list (Go `[]any`).
    case list([TemplateValue])
    /// A map with string keys; insertion order is kept, `range` and `%v` use sorted order as Go does.
    case map(TemplateMap)
}

/// A string-keyed map that remembers insertion order.
public struct TemplateMap: Sendable, Equatable {
    /// Keys in insertion order (each once).
    public private(set) var keys: [String] = []
    private var storage: [String: TemplateValue] = [:]

    /// Creates an empty map.
    public init() {}

    /// Creates a map from entries; a repeated key keeps its first position and its last value.
    public init(_ entries: [(String, TemplateValue)]) {
        for (key, value) in entries { self[key] = value }
    }

    /// The value for a key; setting `nil` removes the key.
    public subscript(key: String) -> TemplateValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The number of entries.
    public var count: Int { keys.count }

    /// Whether the map has no entries.
    public var isEmpty: Bool { keys.isEmpty }

    /// Keys sorted by their UTF-8 bytes, the order Go uses for maps.
    public var sortedKeys: [String] {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Entries in insertion order.
    public var entries: [(key: String, value: TemplateValue)] {
        keys.map { ($0, storage[$0] ?? .null) }
    }
}

extension TemplateValue {
    /// Converts a document tree: plain scalars typed by the core schema, quoted scalars as strings, mapping keys by
    /// their text.
    public init(_ node: Node) {
        switch node.content {
        case .scalar(let text, _):
            switch node.resolvedScalar ?? .string(text) {
            case .null: self = .null
            case .bool(let flag): self = .bool(flag)
            case .int(let number): self = .int(number)
            case .uint(let number): self = .float(Double(number))
            case .float(let number, _): self = .float(number)
            case .string(let string): self = .string(string)
            }
        case .sequence(let items):
            self = .list(items.map(TemplateValue.init))
        case .mapping(let pairs):
            var map = TemplateMap()
            for pair in pairs {
                let key =
                    pair.key.scalarText
                    ?? JSON.serialize(pair.key, options: JSONOptions(indent: nil, trailingNewline: false))
                map[key] = TemplateValue(pair.value)
            }
            self = .map(map)
        }
    }

    /// Converts back to a document tree: strings become double-quoted scalars, everything else plain scalars.
    public var node: Node {
        switch self {
        case .null: return .null
        case .bool(let flag): return .plain(flag ? "true" : "false")
        case .int(let number): return .plain(String(number))
        case .float(let number):
            if number.isNaN { return .plain(".nan") }
            if number.isInfinite { return .plain(number < 0 ? "-.inf" : ".inf") }
            return .plain(GoFloat.formatJSON(number) ?? "0")
        case .string(let text): return .string(text)
        case .list(let items): return .sequence(items.map(\.node))
        case .map(let map): return .mapping(map.entries.map { Node.Pair(key: .string($0.key), value: $0.value.node) })
        }
    }

    /// Go template truth: false, 0, nil and empty strings, lists and maps are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .float(let number): return number != 0
        case .string(let text): return !text.isEmpty
        case .list(let items): return !items.isEmpty
        case .map(let map): return !map.isEmpty
        }
    }

    /// The Go type name used in error messages and `%T`.
    var goTypeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float64"
        case .string: return "string"
        case .list: return "[]interface {}"
        case .map: return "map[string]interface {}"
        }
    }
}
