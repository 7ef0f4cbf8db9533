/// One `ref+…` / `secretref+…` occurrence in a string (vals grammar, C.1).
public struct RefMatch: Sendable, Equatable {
    /// `ref` or `secretref`.
    public enum Kind: String, Sendable {
        /// `ref+…`
        case ref
        /// `secretref+…`
        case secretref
    }

    /// Which prefix was written.
    public var kind: Kind
    /// The reference key: `backend://path?query#fragment`, without the prefix and the terminating `+`.
    public var key: String
    /// Where the whole match (prefix, key and optional `+`) lies, in Unicode scalars of the searched text.
    public var range: Range<Int>
    /// Whether a terminating `+` was consumed.
    public var terminated: Bool
}

/// The matcher vals uses everywhere: `((secret)?ref)\+([^+:]*://[^+\n ]+[^+\n ",])\+?`, leftmost-first and greedy,
/// reimplemented by hand over Unicode scalars.
public enum RefMatcher {
    static let refPrefix = Array("ref+".unicodeScalars)
    static let secretPrefix = Array("secretref+".unicodeScalars)
    static let separator = Array("://".unicodeScalars)

    /// Every non-overlapping match in `text`, left to right.
    public static func matches(in text: String) -> [RefMatch] {
        matches(in: Array(text.unicodeScalars))
    }

    /// Whether `text` contains at least one reference.
    public static func containsReference(_ text: String) -> Bool {
        guard text.contains("ref+") else { return false }
        return !matches(in: text).isEmpty
    }

    static func matches(in s: [Unicode.Scalar]) -> [RefMatch] {
        var out: [RefMatch] = []
        var i = 0
        while i < s.count {
            if let m = match(in: s, at: i) {
                out.append(m)
                i = max(m.range.upperBound, i + 1)
            } else {
                i += 1
            }
        }
        return out
    }

    /// The match that starts exactly at `start`, if any.
    static func match(in s: [Unicode.Scalar], at start: Int) -> RefMatch? {
        let kind: RefMatch.Kind
        var p: Int
        if has(s, secretPrefix, at: start) {
            kind = .secretref
            p = start + secretPrefix.count
        } else if has(s, refPrefix, at: start) {
            kind = .ref
            p = start + refPrefix.count
        } else {
            return nil
        }
        let keyStart = p
        // [^+:]*://
        while p < s.count && s[p] != "+" && s[p] != ":" { p += 1 }
        guard has(s, separator, at: p) else { return nil }
        let bodyStart = p + 3
        // [^+\n ]+ greedy, then back off until the last scalar is not `"` or `,` and at least two scalars remain.
        var runEnd = bodyStart
        while runEnd < s.count && s[runEnd] != "+" && s[runEnd] != "\n" && s[runEnd] != " " { runEnd += 1 }
        var end = runEnd
        while end - bodyStart >= 2 && (s[end - 1] == "\"" || s[end - 1] == ",") { end -= 1 }
        guard end - bodyStart >= 2 else { return nil }
        let terminated = end == runEnd && end < s.count && s[end] == "+"
        var key = ""
        key.unicodeScalars.append(contentsOf: s[keyStart..<end])
        return RefMatch(kind: kind, key: key, range: start..<(terminated ? end + 1 : end), terminated: terminated)
    }

    static func has(_ s: [Unicode.Scalar], _ needle: [Unicode.Scalar], at i: Int) -> Bool {
        guard i >= 0, i + needle.count <= s.count else { return false }
        for k in 0..<needle.count where s[i + k] != needle[k] { return false }
        return true
    }

    /// Start positions of every `ref+` / `secretref+` prefix (a `secretref+` counts once, at its `s`).
    static func prefixStarts(in s: [Unicode.Scalar]) -> [Int] {
        var out: [Int] = []
        var i = 0
        while i < s.count {
            if has(s, secretPrefix, at: i) {
                out.append(i)
                i += secretPrefix.count
            } else if has(s, refPrefix, at: i) {
                out.append(i)
                i += refPrefix.count
            } else {
                i += 1
            }
        }
        return out
    }
}
