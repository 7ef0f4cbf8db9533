/// How `YAMLLoader` reads a stream.
public struct LoadOptions: Sendable, Hashable {
    /// Recover comments from the source text and attach them to nodes and documents (slower; off by default).
    public var comments: Bool
    /// Expand `<<` merge keys (YAML 1.1 merge, as go-yaml v3 does); when off, `<<` is an ordinary key.
    public var mergeKeys: Bool
    /// Reject a mapping that repeats a key (go-yaml v3 and sops do).
    public var rejectDuplicateKeys: Bool
    /// Upper bound on nodes copied in through aliases, per stream, so that a "billion laughs" document fails fast.
    public var maxAliasExpansion: Int

    /// Creates options.
    public init(
        comments: Bool = false, mergeKeys: Bool = true, rejectDuplicateKeys: Bool = true,
        maxAliasExpansion: Int = 1_000_000
    ) {
        self.comments = comments
        self.mergeKeys = mergeKeys
        self.rejectDuplicateKeys = rejectDuplicateKeys
        self.maxAliasExpansion = maxAliasExpansion
    }
}

/// One document of a stream: its root node plus the comments after its last content.
public struct YAMLDocument: Sendable, Equatable {
    /// The document's content (a null scalar for an empty document).
    public var root: Node
    /// Whole-line comments after the document's last node (text after `#`, verbatim), written back after it.
    public var footComments: [String]

    /// Creates a document.
    public init(root: Node, footComments: [String] = []) {
        self.root = root
        self.footComments = footComments
    }
}
