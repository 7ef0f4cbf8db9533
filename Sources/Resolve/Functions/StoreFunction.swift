public import Core

/// A parsed `!store STORE [STACK] COMPONENT KEY [| default VALUE] [| query EXPR]` or
/// `!store.get STORE KEY [| default VALUE] [| query EXPR]` (Atmos's argument rules: split on `|`, each modifier is
/// `keyword value` with surrounding quotes trimmed; the leading arguments are separated by spaces).
public struct StoreFunction: Sendable, Equatable {
    /// Which key the function reads.
    public enum Target: Sendable, Equatable {
        /// `!store`: the key composed from the stack (nil: the current one), the component and the key.
        case composed(stack: String?, component: String, key: String)
        /// `!store.get`: the key exactly as written.
        case raw(String)
    }

    /// `!store` or `!store.get`.
    public var tag: String
    /// The store's name under atmos.yaml `stores:`.
    public var store: String
    /// The key to read.
    public var target: Target
    /// Used as-is (a string, no query applied) when the key cannot be read.
    public var defaultValue: String?
    /// A query applied to the value read (`.field`, `.list[0]`).
    public var query: String?

    /// Parses the text after `tag` (already template-rendered).
    public init(tag: String, parsing text: String) throws(CloakError) {
        self.tag = tag
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        let arguments = StoreFunction.words(parts.first ?? "")
        let usage = tag == "!store.get"
            ? "!store.get STORE KEY [| default VALUE] [| query EXPR]"
            : "!store STORE [STACK] COMPONENT KEY [| default VALUE] [| query EXPR]"
        switch (tag, arguments.count) {
        case ("!store.get", 2):
            target = .raw(arguments[1])
        case ("!store", 3):
            target = .composed(stack: nil, component: arguments[1], key: arguments[2])
        case ("!store", 4):
            target = .composed(stack: arguments[1], component: arguments[2], key: arguments[3])
        default:
            throw CloakError(.config, "invalid \(tag) arguments: got \(arguments.count), expected \(usage)")
        }
        store = arguments[0]
        for part in parts.dropFirst() {
            guard let space = part.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw CloakError(.config, "invalid \(tag) modifier \"\(part)\": expected `default VALUE` or `query EXPR`")
            }
            let keyword = StoreFunction.unquote(String(part[..<space]))
            let value = StoreFunction.unquote(String(part[space...]).trimmingWhitespace())
            switch keyword {
            case "default": defaultValue = value
            case "query":
                guard !value.isEmpty else { throw CloakError(.config, "invalid \(tag) modifier: query needs an expression") }
                query = value
            default:
                throw CloakError(.config, "invalid \(tag) modifier \"\(part)\": expected `default VALUE` or `query EXPR`")
            }
        }
    }

    /// Space-separated words; a word may be quoted to hold spaces (quotes removed).
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" || c == "\n" {
                if inWord { out.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { out.append(current) }
        return out
    }

    /// One pair of matching surrounding quotes removed.
    static func unquote(_ s: String) -> String {
        guard s.count >= 2, let f = s.first, f == "\"" || f == "'", s.last == f else { return s }
        return String(s.dropFirst().dropLast())
    }
}
