/// Which leaves are encrypted (A.5). At most one rule may be set; none means `unencrypted_suffix: _unencrypted`.
public struct SopsCryptRules: Sendable, Hashable {
    /// `unencrypted_suffix`.
    public var unencryptedSuffix: String?
    /// `encrypted_suffix`.
    public var encryptedSuffix: String?
    /// `unencrypted_regex`.
    public var unencryptedRegex: String?
    /// `encrypted_regex`.
    public var encryptedRegex: String?
    /// `unencrypted_comment_regex`.
    public var unencryptedCommentRegex: String?
    /// `encrypted_comment_regex`.
    public var encryptedCommentRegex: String?
    /// `mac_only_encrypted`.
    public var macOnlyEncrypted: Bool

    /// Creates rules.
    public init(
        unencryptedSuffix: String? = nil, encryptedSuffix: String? = nil, unencryptedRegex: String? = nil,
        encryptedRegex: String? = nil, unencryptedCommentRegex: String? = nil, encryptedCommentRegex: String? = nil,
        macOnlyEncrypted: Bool = false
    ) {
        self.unencryptedSuffix = unencryptedSuffix
        self.encryptedSuffix = encryptedSuffix
        self.unencryptedRegex = unencryptedRegex
        self.encryptedRegex = encryptedRegex
        self.unencryptedCommentRegex = unencryptedCommentRegex
        self.encryptedCommentRegex = encryptedCommentRegex
        self.macOnlyEncrypted = macOnlyEncrypted
    }

    /// How many of the six rules are set.
    var activeCount: Int {
        [unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex, unencryptedCommentRegex,
         encryptedCommentRegex].filter { !($0 ?? "").isEmpty }.count
    }

    /// The rules with the implied default filled in (what new files record).
    var withDefault: SopsCryptRules {
        var r = self
        if activeCount == 0 { r.unencryptedSuffix = "_unencrypted" }
        return r
    }
}

/// How the `sops:` block's keys are ordered on output.
public enum SopsMetadataLayout: Sendable {
    /// sops ≤ 3.12 Go struct order (what sops 3.11 writes).
    case sops311
    /// sops ≥ 3.13: every mapping level sorted by key.
    case sorted
}

/// The `sops` metadata block.
public struct SopsMetadata: Sendable, Hashable {
    /// Key groups (one for ordinary files).
    public var keyGroups: [SopsKeyGroup]
    /// `shamir_threshold`, 0 when absent.
    public var shamirThreshold: Int
    /// `lastmodified` as written.
    public var lastModified: String
    /// The encrypted MAC string (`""` = no MAC).
    public var mac: String
    /// `version`.
    public var version: String
    /// Encryption rules.
    public var rules: SopsCryptRules
    /// Whether the file used the `key_groups:` layout (kept on re-emit).
    public var usesKeyGroups: Bool
    /// For flat formats: the flattened metadata keys in the order they were read (sops 3.11 writes INI in random
    /// order, so re-emitting in the loaded order keeps unchanged files byte-identical).
    public var flatKeyOrder: [String]?

    /// Creates metadata.
    public init(
        keyGroups: [SopsKeyGroup], shamirThreshold: Int = 0, lastModified: String = "", mac: String = "",
        version: String = SopsMetadata.writerVersion, rules: SopsCryptRules = SopsCryptRules(),
        usesKeyGroups: Bool? = nil, flatKeyOrder: [String]? = nil
    ) {
        self.keyGroups = keyGroups
        self.shamirThreshold = shamirThreshold
        self.lastModified = lastModified
        self.mac = mac
        self.version = version
        self.rules = rules
        self.usesKeyGroups = usesKeyGroups ?? (keyGroups.count > 1)
        self.flatKeyOrder = flatKeyOrder
    }

    /// The sops version cloak claims to write (the format it is byte-compatible with).
    public static let writerVersion = "3.11.0"

    /// The Shamir threshold actually used (default: all groups).
    var effectiveThreshold: Int { shamirThreshold > 0 ? shamirThreshold : keyGroups.count }

    /// Every key type present.
    public var keyTypes: Set<String> { Set(keyGroups.flatMap { $0.entries.map(\.type) }) }
}
