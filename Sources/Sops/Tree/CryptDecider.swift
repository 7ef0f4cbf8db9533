public import Core

/// Decides per leaf whether it is encrypted (A.5), from its key path and the comment stack.
///
/// Regexes use Swift `Regex` with an unanchored search; for the patterns people write in `.sops.yaml`
/// (`^(data|stringData)$`, `^public`, `sops:enc`) this matches Go RE2. Differences: RE2 rejects backreferences and
/// look-around that Swift accepts, and Swift matches by extended grapheme cluster where RE2 matches by code point.
struct CryptDecider {
    let rules: SopsCryptRules
    private let unencryptedRegex: Regex<AnyRegexOutput>?
    private let encryptedRegex: Regex<AnyRegexOutput>?
    private let unencryptedCommentRegex: Regex<AnyRegexOutput>?
    private let encryptedCommentRegex: Regex<AnyRegexOutput>?

    init(_ rules: SopsCryptRules, file: String) throws(CloakError) {
        if rules.activeCount > 1 {
            throw CloakError(.config, "\(file): cannot use more than one of encrypted_suffix, unencrypted_suffix, "
                + "encrypted_regex, unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex")
        }
        self.rules = rules
        func compile(_ p: String?, _ name: String) throws(CloakError) -> Regex<AnyRegexOutput>? {
            guard let p, !p.isEmpty else { return nil }
            do { return try Regex(p) } catch {
                throw CloakError(.config, "\(file): invalid \(name) '\(p)'")
            }
        }
        unencryptedRegex = try compile(rules.unencryptedRegex, "unencrypted_regex")
        encryptedRegex = try compile(rules.encryptedRegex, "encrypted_regex")
        unencryptedCommentRegex = try compile(rules.unencryptedCommentRegex, "unencrypted_comment_regex")
        encryptedCommentRegex = try compile(rules.encryptedCommentRegex, "encrypted_comment_regex")
    }

    /// Whether the value at `path` is encrypted. `comments` is the stack of plaintext comments (outermost level first);
    /// for a comment item its own text is the last entry of the last level and `isComment` is true.
    func isEncrypted(path: [String], comments: [[String]], isComment: Bool) -> Bool {
        var encrypted = true
        if let s = rules.unencryptedSuffix, !s.isEmpty, path.contains(where: { $0.hasSuffix(s) }) {
            encrypted = false
        }
        if let s = rules.encryptedSuffix, !s.isEmpty {
            encrypted = path.contains(where: { $0.hasSuffix(s) })
        }
        if let r = unencryptedRegex, path.contains(where: { $0.contains(r) }) {
            encrypted = false
        }
        if let r = encryptedRegex {
            encrypted = path.contains(where: { $0.contains(r) })
        }
        if let r = unencryptedCommentRegex, comments.contains(where: { $0.contains(where: { $0.contains(r) }) }) {
            encrypted = false
        }
        if let r = encryptedCommentRegex {
            var stack = comments
            // A comment is not encrypted merely because it is itself the matching comment.
            if isComment, !stack.isEmpty, !stack[stack.count - 1].isEmpty { stack[stack.count - 1].removeLast() }
            encrypted = stack.contains(where: { $0.contains(where: { $0.contains(r) }) })
        }
        return encrypted
    }
}
