/// How a new file is encrypted: key groups (entries without `enc`), Shamir threshold and encryption rules.
public struct SopsCreationRule: Sendable, Hashable {
    /// Key groups; one group for ordinary files.
    public var keyGroups: [SopsKeyGroup]
    /// Shamir threshold for several groups (0 = all groups).
    public var shamirThreshold: Int
    /// Encryption rules (`unencrypted_suffix: _unencrypted` when none is set).
    public var rules: SopsCryptRules

    /// Creates a rule.
    public init(keyGroups: [SopsKeyGroup], shamirThreshold: Int = 0, rules: SopsCryptRules = SopsCryptRules()) {
        self.keyGroups = keyGroups
        self.shamirThreshold = shamirThreshold
        self.rules = rules
    }

    /// One group of age recipients (comma-separated lists are split and trimmed).
    public static func age(_ recipients: [String], rules: SopsCryptRules = SopsCryptRules()) -> SopsCreationRule {
        let list = recipients.flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        var seen: Set<String> = []
        let unique = list.filter { seen.insert($0).inserted }
        return SopsCreationRule(keyGroups: [SopsKeyGroup(unique.map { .age(recipient: $0, enc: "") })], rules: rules)
    }
}
