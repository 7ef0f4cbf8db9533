/// One master key of a key group: its type (`age`, `pgp`, `kms`, `gcp_kms`, `azure_kv`, `hc_vault`, `hckms`) and
/// its fields as written in the file (`recipient`, `enc`, `fp`, `arn`, `created_at`, …). None of this is secret:
/// `enc` is the wrapped data key.
public struct SopsKeyEntry: Sendable, Hashable {
    /// The metadata list this entry lives in.
    public var type: String
    /// Scalar fields.
    public var fields: [String: String]
    /// AWS KMS encryption context (`context:` map), empty otherwise.
    public var context: [String: String]

    /// Creates an entry.
    public init(type: String, fields: [String: String], context: [String: String] = [:]) {
        self.type = type
        self.fields = fields
        self.context = context
    }

    /// The wrapped data key (`enc`).
    public var encryptedKey: String {
        get { fields["enc"] ?? "" }
        set { fields["enc"] = newValue }
    }

    /// What identifies the key to a human: recipient, fingerprint, ARN, resource id, URL or key name.
    public var identifier: String {
        for name in ["recipient", "fp", "arn", "resource_id", "vault_url", "key_name", "key_id"] {
            if let v = fields[name] { return v }
        }
        return type
    }

    /// An age entry.
    public static func age(recipient: String, enc: String) -> SopsKeyEntry {
        SopsKeyEntry(type: "age", fields: ["recipient": recipient, "enc": enc])
    }

    /// Field order sops 3.11 writes (Go struct order).
    static func structOrder(for type: String) -> [String] {
        switch type {
        case "age": ["recipient", "enc"]
        case "pgp": ["created_at", "enc", "fp"]
        case "kms": ["arn", "role", "context", "created_at", "enc", "aws_profile"]
        case "gcp_kms": ["resource_id", "created_at", "enc"]
        case "azure_kv": ["vault_url", "name", "version", "created_at", "enc"]
        case "hc_vault": ["vault_address", "engine_path", "key_name", "created_at", "enc"]
        case "hckms": ["key_id", "created_at", "enc"]
        default: ["enc"]
        }
    }

    /// Fields that sops omits when empty.
    static func omitEmpty(_ type: String, _ field: String) -> Bool {
        type == "kms" && (field == "role" || field == "context")
    }
}

/// A key group: every entry wraps the same data key (or the same Shamir share).
public struct SopsKeyGroup: Sendable, Hashable {
    /// The entries, in file order.
    public var entries: [SopsKeyEntry]

    /// Creates a group.
    public init(_ entries: [SopsKeyEntry]) { self.entries = entries }
}
