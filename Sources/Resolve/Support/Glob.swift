/// A shell glob over `/`-separated paths: `*` and `?` stay within a segment, `**` spans segments,
/// `[abc]`/`[a-z]`/`[!x]` classes and `{a,b}` alternatives (as doublestar, used by Atmos).
public struct Glob: Sendable {
    private let pattern: [Character]
    /// The pattern as written.
    public let text: String

    /// Compiles a pattern (never fails: malformed classes match literally).
    public init(_ text: String) {
        self.text = text
        self.pattern = Array(text)
    }

    /// Whether `text` contains glob metacharacters.
    public static func isPattern(_ text: String) -> Bool {
        text.contains { "*?[{".contains($0) }
    }

    /// Whether the whole of `path` matches.
    public func matches(_ path: String) -> Bool {
        for alternative in expandBraces(pattern) {
            if Glob.match(alternative[...], Array(path)[...]) { return true }
        }
        return false
    }

    private func expandBraces(_ p: [Character]) -> [[Character]] {
        guard let open = p.firstIndex(of: "{") else { return [p] }
        var depth = 0
        var close: Int?
        var commas: [Int] = []
        for i in open..<p.count {
            if p[i] == "{" { depth += 1 }
            if p[i] == "}" {
                depth -= 1
                if depth == 0 {
                    close = i
                    break
                }
            }
            if p[i] == "," && depth == 1 { commas.append(i) }
        }
        guard let close else { return [p] }
        var bounds = [open] + commas + [close]
        var results: [[Character]] = []
        let prefix = Array(p[..<open])
        let suffix = Array(p[(close + 1)...])
        for k in 0..<(bounds.count - 1) {
            let middle = Array(p[(bounds[k] + 1)..<bounds[k + 1]])
            results += expandBraces(prefix + middle + suffix)
        }
        bounds.removeAll()
        return results
    }

    private static func match(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        var p = p
        var s = s
        while let c = p.first {
            switch c {
            case "*":
                if p.dropFirst().first == "*" {
                    // `**`: any number of whole segments (including none); `a/**/b` also matches `a/b`.
                    var rest = p.dropFirst(2)
                    if rest.first == "/" {
                        rest = rest.dropFirst()
                        if match(rest, s) { return true }
                        var t = s
                        while let slash = t.firstIndex(of: "/") {
                            t = t[(slash + 1)...]
                            if match(rest, t) { return true }
                        }
                        return false
                    }
                    var t = s
                    while true {
                        if match(rest, t) { return true }
                        if t.isEmpty { return false }
                        t = t.dropFirst()
                    }
                }
                let rest = p.dropFirst()
                var t = s
                while true {
                    if match(rest, t) { return true }
                    guard let first = t.first, first != "/" else { return false }
                    t = t.dropFirst()
                }
            case "?":
                guard let first = s.first, first != "/" else { return false }
                p = p.dropFirst()
                s = s.dropFirst()
            case "[":
                guard let first = s.first, first != "/", let end = p.dropFirst(2).firstIndex(of: "]") else {
                    guard s.first == "[" else { return false }
                    p = p.dropFirst()
                    s = s.dropFirst()
                    continue
                }
                var set = p[(p.startIndex + 1)..<end]
                var negate = false
                if set.first == "!" || set.first == "^" {
                    negate = true
                    set = set.dropFirst()
                }
                var hit = false
                var i = set.startIndex
                while i < set.endIndex {
                    let lo = set[i]
                    if i + 2 < set.endIndex && set[i + 1] == "-" {
                        if lo <= first && first <= set[i + 2] { hit = true }
                        i += 3
                    } else {
                        if lo == first { hit = true }
                        i += 1
                    }
                }
                if hit == negate { return false }
                p = p[(end + 1)...]
                s = s.dropFirst()
            case "\\":
                let lit = p.dropFirst().first ?? "\\"
                guard s.first == lit else { return false }
                p = p.dropFirst(2)
                s = s.dropFirst()
            default:
                guard s.first == c else { return false }
                p = p.dropFirst()
                s = s.dropFirst()
            }
        }
        return s.isEmpty
    }
}
