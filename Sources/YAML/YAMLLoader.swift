public import Core

/// Reads YAML (and therefore JSON) text into `Node` trees with libyaml's event parser.
///
/// Every node carries its 1-based source location; tags are kept (`!!x` expanded to `tag:yaml.org,2002:x`, the
/// non-specific `!` dropped); aliases are expanded into copies (a copy keeps the anchored node's location);
/// `<<` merge keys are applied; duplicate keys are rejected. All failures are `CloakError` with code `.config`.
///
/// With `LoadOptions.comments`, whole-line comments go to `comments.before` of the next mapping *key* node (or
/// sequence item), an end-of-line comment to `comments.trailing` of the last node that ended on its line (for
/// `key: # c` followed by a nested block, the key), a block scalar's header comment (`|- # c`) to the scalar, and
/// comments after a document's last node to `YAMLDocument.footComments`.
public enum YAMLLoader {
    /// Loads every document of a stream; an empty document (`---` alone) gives a null node, empty input none.
    public static func load(_ text: String, file: String, options: LoadOptions = .init()) throws(CloakError) -> [Node] {
        try loadDocuments(text, file: file, options: options).map(\.root)
    }

    /// Loads a stream that must hold at most one document; empty input gives a null node.
    public static func loadSingle(_ text: String, file: String, options: LoadOptions = .init()) throws(CloakError)
        -> Node
    {
        let documents = try loadDocuments(text, file: file, options: options)
        return try single(documents, file: file)
    }

    /// Loads every document with its foot comments (filled only when `options.comments` is set).
    public static func loadDocuments(_ text: String, file: String, options: LoadOptions = .init()) throws(CloakError)
        -> [YAMLDocument]
    {
        var text = text
        let result: Result<[YAMLDocument], CloakError> = text.withUTF8 { buffer in
            parse(UnsafeRawBufferPointer(buffer), file: file, options: options)
        }
        return try result.get()
    }

    /// Loads raw bytes, which need not be valid UTF-8: invalid input fails with a located error instead of being
    /// repaired. A UTF-16 or UTF-32 byte-order mark selects that encoding, as libyaml does.
    public static func loadDocuments(bytes: some Collection<UInt8>, file: String, options: LoadOptions = .init())
        throws(CloakError) -> [YAMLDocument]
    {
        let result: Result<[YAMLDocument], CloakError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parse(UnsafeRawBufferPointer(buffer), file: file, options: options)
        }
        if let result { return try result.get() }
        let array = Array(bytes)
        return try array.withUnsafeBytes { parse($0, file: file, options: options) }.get()
    }

    /// Loads raw bytes (see `loadDocuments(bytes:file:options:)`), roots only.
    public static func load(bytes: some Collection<UInt8>, file: String, options: LoadOptions = .init())
        throws(CloakError) -> [Node]
    {
        try loadDocuments(bytes: bytes, file: file, options: options).map(\.root)
    }

    /// Loads raw bytes that must hold at most one document; empty input gives a null node.
    public static func loadSingle(bytes: some Collection<UInt8>, file: String, options: LoadOptions = .init())
        throws(CloakError) -> Node
    {
        try single(loadDocuments(bytes: bytes, file: file, options: options), file: file)
    }

    private static func single(_ documents: [YAMLDocument], file: String) throws(CloakError) -> Node {
        switch documents.count {
        case 0: return .null
        case 1: return documents[0].root
        default:
            throw CloakError(
                .config, "expected one YAML document but found \(documents.count); remove the extra `---` sections",
                at: documents[1].root.location ?? SourceLocation(file: file))
        }
    }

    private static func parse(_ input: UnsafeRawBufferPointer, file: String, options: LoadOptions)
        -> Result<[YAMLDocument], CloakError>
    {
        var reader = EventReader(input: input, file: file, options: options)
        do throws(CloakError) {
            return .success(try reader.run())
        } catch {
            return .failure(error)
        }
    }
}
