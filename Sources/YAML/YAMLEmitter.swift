/// How `YAMLEmitter` lays out text.
public struct EmitOptions: Sendable, Hashable {
    /// Spaces per nesting level (go-yaml v3 rules; sops uses 4). Outside 2...9 it is 2, as in libyaml.
    public var indent: Int
    /// Write the nodes' and documents' comments back.
    public var comments: Bool

    /// Creates options.
    public init(indent: Int = 2, comments: Bool = true) {
        self.indent = indent
        self.comments = comments
    }
}

/// Writes `Node` trees as block-style YAML laid out and quoted the way go-yaml v3 does (and therefore sops).
///
/// Layout: nested mappings and sequences under a key start at the next multiple of `indent`; a collection
/// inside a sequence item starts two columns after the dash; empty collections are `{}` and `[]`; documents are
/// separated by `---`. Scalars: a typed plain scalar (int, float, bool, null, timestamp) is written as its text; a
/// string is written plain when that reads back as the same string, else double-quoted when it would read as
/// another type (`"true"`, `"123"`, `"y"`, `""`) or holds control characters, single-quoted when it starts with an
/// indicator or has edge spaces, and as a literal block (`|`, `|-`, `|+`) when it spans lines. Tags other than none
/// are written before the value (`!secret name`, `!!str 123`).
public enum YAMLEmitter {
    /// The documents as one YAML stream.
    public static func emit(_ documents: [Node], options: EmitOptions = .init()) -> String {
        emit(documents: documents.map { YAMLDocument(root: $0) }, options: options)
    }

    /// The documents, with their foot comments, as one YAML stream.
    public static func emit(documents: [YAMLDocument], options: EmitOptions = .init()) -> String {
        var writer = EmitterWriter(options: options)
        for (index, document) in documents.enumerated() {
            if index > 0 { writer.out += "---\n" }
            writer.writeDocument(document)
        }
        return writer.out
    }

    /// One scalar as it would follow `key: ` at the top level, without a line break at the end. A literal block
    /// comes out as its header and its lines indented by `options.indent` (`|-\n  l1\n  l2`).
    public static func emitScalar(_ node: Node, options: EmitOptions = .init()) -> String {
        var writer = EmitterWriter(options: options)
        writer.writeScalarValue(node, contentIndent: writer.best, trailing: nil)
        if writer.out.hasSuffix("\n") { writer.out.removeLast() }
        return writer.out
    }

    /// The style go-yaml v3 picks for an untagged string (never `.folded`); `isKey` applies simple-key limits.
    public static func stringStyle(for text: String, isKey: Bool = false) -> ScalarStyle {
        switch EmitterWriter.style(text: text, stringTyped: true, tagged: false, simpleKey: isKey) {
        case .plain: .plain
        case .single: .singleQuoted
        case .double: .doubleQuoted
        case .literal: .literal
        }
    }

    /// An untagged string on one line as go-yaml v3 writes it in a value or key position: plain, single- or
    /// double-quoted (a text that would need a literal block is double-quoted).
    public static func quotedString(_ text: String) -> String {
        var writer = EmitterWriter(options: .init())
        let style = EmitterWriter.style(text: text, stringTyped: true, tagged: false, simpleKey: true)
        writer.writeInline(text, style)
        return writer.out
    }
}
