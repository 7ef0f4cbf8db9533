public import Core

/// The type tag of a SOPS leaf (`type:` in an `ENC[…]` string), which also fixes how its plaintext is serialised.
public enum SopsLeafType: String, Sendable, CaseIterable {
    /// UTF-8 string (also raw bytes from the binary store).
    case str
    /// Signed 64-bit integer, decimal.
    case int
    /// float64 in Go `'f', -1` form.
    case float
    /// `True` / `False`.
    case bool
    /// RFC 3339 timestamp (YAML timestamps only).
    case time
    /// Raw bytes (decrypt only).
    case bytes
    /// A comment's text.
    case comment
}

/// One scalar of a SOPS tree: its type and its serialised plaintext (per the type's A.4 rules), in guarded memory.
///
/// For a tree loaded from an encrypted file before decryption, encrypted leaves are `str` leaves holding the
/// `ENC[…]` text.
public struct SopsLeaf: Sendable {
    /// The value's type.
    public var type: SopsLeafType
    /// The serialised plaintext.
    public var bytes: SecretBytes

    /// Creates a leaf from already-serialised bytes.
    public init(type: SopsLeafType, bytes: SecretBytes) {
        self.type = type
        self.bytes = bytes
    }

    /// A string leaf from public text (metadata, ENC strings, unencrypted values).
    public static func string(_ text: String) -> SopsLeaf {
        var b = Array(text.utf8)
        return SopsLeaf(type: .str, bytes: SecretBytes(consuming: &b))
    }

    /// A leaf of the given type from public text already in serialised form.
    public static func typed(_ type: SopsLeafType, _ text: String) -> SopsLeaf {
        var b = Array(text.utf8)
        return SopsLeaf(type: type, bytes: SecretBytes(consuming: &b))
    }

    /// Whether the plaintext is empty (empty values are never encrypted).
    public var isEmpty: Bool { bytes.count == 0 }
}

/// A value in a SOPS tree.
public indirect enum SopsValue: Sendable {
    /// An ordered mapping (may contain comment items).
    case mapping([SopsItem])
    /// A sequence (elements may be `.comment`).
    case list([SopsValue])
    /// A scalar.
    case leaf(SopsLeaf)
    /// `null` — never encrypted, never hashed.
    case null
    /// A comment line inside a list.
    case comment(SecretBytes)
}

/// One entry of a mapping: a key/value pair or a comment line.
public enum SopsItem: Sendable {
    /// `key: value`.
    case entry(String, SopsValue)
    /// A comment line (text after `#`/`;`).
    case comment(SecretBytes)

    /// The key, for entries.
    public var key: String? {
        if case .entry(let k, _) = self { return k }
        return nil
    }

    /// The value, for entries.
    public var value: SopsValue? {
        if case .entry(_, let v) = self { return v }
        return nil
    }
}

/// A whole SOPS file: one branch per document (always one except for multi-document YAML) plus metadata.
public struct SopsTree: Sendable {
    /// Document branches, each an ordered list of items, the `sops` key removed.
    public var documents: [[SopsItem]]
    /// The `sops` metadata.
    public var metadata: SopsMetadata

    /// Creates a tree.
    public init(documents: [[SopsItem]], metadata: SopsMetadata) {
        self.documents = documents
        self.metadata = metadata
    }
}

extension SopsLeaf: CustomStringConvertible, CustomReflectable {
    public var description: String { "<redacted \(type.rawValue)>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension SopsValue: CustomStringConvertible, CustomReflectable {
    public var description: String {
        switch self {
        case .mapping(let items): "<mapping of \(items.count) items>"
        case .list(let items): "<list of \(items.count) items>"
        case .leaf(let leaf): leaf.description
        case .null: "null"
        case .comment: "<redacted comment>"
        }
    }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension SopsItem: CustomStringConvertible, CustomReflectable {
    public var description: String {
        switch self {
        case .entry(let k, let v): "\(k): \(v)"
        case .comment: "<redacted comment>"
        }
    }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension SopsTree: CustomStringConvertible, CustomReflectable {
    public var description: String { "SopsTree(<\(documents.count) documents, redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension SecretBytes {
    /// A secret from public UTF-8 text (used for values that come from files in plaintext form).
    static func text(_ s: String) -> SecretBytes {
        var b = Array(s.utf8)
        return SecretBytes(consuming: &b)
    }

    /// A copy of the bytes as an array, for public data only (ENC strings, metadata).
    var publicBytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes as text, for public data only (ENC strings, metadata).
    var publicString: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
}

extension SopsLeaf {
    /// The float value of a `float` leaf (Go ParseFloat of its 'f' text; `+Inf`, `-Inf`, `NaN`).
    var doubleValue: Double {
        let s = bytes.unsafeString()
        switch s {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(s) ?? .nan
        }
    }
}
