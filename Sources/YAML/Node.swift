public import Core

/// One node of a YAML (or JSON) document: ordered mappings, tags and source locations kept.
///
/// A scalar's meaning is its text plus its style plus its tag: a plain scalar resolves by the YAML 1.2 core schema
/// as go-yaml v3 does (`scalarValue`), a quoted or block scalar is always a string, and an explicit tag wins.
/// Aliases are expanded into copies at load time, so a tree never contains an alias.
public struct Node: Sendable {
    /// The three kinds of YAML content.
    public enum Content: Sendable {
        /// Scalar text exactly as loaded (after escape processing) and the style it was written in.
        case scalar(String, ScalarStyle)
        /// Items in order.
        case sequence([Node])
        /// Key/value pairs in document order.
        case mapping([Pair])
    }

    /// One key/value entry of a mapping.
    public struct Pair: Sendable {
        /// The key node (usually a scalar).
        public var key: Node
        /// The value node.
        public var value: Node

        /// Creates a pair.
        public init(key: Node, value: Node) {
            self.key = key
            self.value = value
        }
    }

    /// The node's content.
    public var content: Content
    /// The tag as written, with `!!x` expanded to `tag:yaml.org,2002:x`; `nil` when the node had no explicit tag.
    public var tag: String?
    /// Where the node starts in its source file (`nil` for nodes built in code).
    public var location: SourceLocation?
    /// Comments attached to this node (filled only when loading with comments enabled).
    public var comments: Comments

    /// Creates a node.
    public init(_ content: Content, tag: String? = nil, location: SourceLocation? = nil, comments: Comments = .none) {
        self.content = content
        self.tag = tag
        self.location = location
        self.comments = comments
    }
}

/// How a scalar was written.
public enum ScalarStyle: Sendable, Hashable {
    /// Unquoted: resolved by the core schema.
    case plain
    /// `'text'`
    case singleQuoted
    /// `"text"`
    case doubleQuoted
    /// `|` block
    case literal
    /// `>` block
    case folded
}

/// Comments around a node, without the leading `#`, with the text after `#` kept verbatim (`# a` → `" a"`).
public struct Comments: Sendable, Hashable {
    /// Whole-line comments on the lines just before the node (for a mapping value: before its key).
    public var before: [String]
    /// A comment at the end of the node's line.
    public var trailing: String?
    /// Whole-line comments after a collection's last entry, written at its entries' column. The loader gives such
    /// comments to the next node (or to the document's foot), so only trees built in code carry them.
    public var after: [String]

    /// No comments.
    public static let none = Comments(before: [], trailing: nil)

    /// Creates comments.
    public init(before: [String] = [], trailing: String? = nil, after: [String] = []) {
        self.before = before
        self.trailing = trailing
        self.after = after
    }

    /// Whether there is no comment at all.
    public var isEmpty: Bool { before.isEmpty && trailing == nil && after.isEmpty }
}

extension Node {
    /// The tag prefix that `!!` expands to.
    public static let coreTagPrefix = "tag:yaml.org,2002:"

    /// A string scalar (emitted quoted when its text would otherwise resolve to another type).
    public static func string(_ text: String, location: SourceLocation? = nil) -> Node {
        Node(.scalar(text, .doubleQuoted), location: location)
    }

    /// A plain scalar whose meaning comes from the core schema (`"42"` is an int, `"true"` a bool).
    public static func plain(_ text: String, location: SourceLocation? = nil) -> Node {
        Node(.scalar(text, .plain), location: location)
    }

    /// The null scalar.
    public static var null: Node { Node(.scalar("null", .plain)) }

    /// A mapping from pairs.
    public static func mapping(_ pairs: [Pair], location: SourceLocation? = nil) -> Node {
        Node(.mapping(pairs), location: location)
    }

    /// A mapping from string keys, in the given order.
    public static func mapping(_ entries: KeyValuePairs<String, Node>) -> Node {
        Node(.mapping(entries.map { Pair(key: .string($0.key), value: $0.value) }))
    }

    /// A sequence.
    public static func sequence(_ items: [Node], location: SourceLocation? = nil) -> Node {
        Node(.sequence(items), location: location)
    }

    /// The scalar text, for scalars only.
    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The mapping pairs, for mappings only.
    public var pairs: [Pair]? {
        if case .mapping(let p) = content { return p }
        return nil
    }

    /// The items, for sequences only.
    public var items: [Node]? {
        if case .sequence(let s) = content { return s }
        return nil
    }

    /// Whether this is a mapping.
    public var isMapping: Bool { pairs != nil }

    /// Whether this is a sequence.
    public var isSequence: Bool { items != nil }

    /// Whether this is a scalar.
    public var isScalar: Bool { scalarText != nil }

    /// The value for a string key of a mapping (the last one if the key repeats).
    public subscript(key: String) -> Node? {
        get {
            guard case .mapping(let pairs) = content else { return nil }
            for pair in pairs.reversed() where pair.key.scalarText == key { return pair.value }
            return nil
        }
        set {
            guard case .mapping(var pairs) = content else { return }
            if let index = pairs.lastIndex(where: { $0.key.scalarText == key }) {
                if let newValue { pairs[index].value = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                pairs.append(Pair(key: .string(key), value: newValue))
            }
            content = .mapping(pairs)
        }
    }

    /// The string keys of a mapping, in order.
    public var keys: [String] {
        pairs?.compactMap { $0.key.scalarText } ?? []
    }
}
