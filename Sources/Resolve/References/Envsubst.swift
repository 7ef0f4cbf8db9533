public import Core
public import YAML

/// Shell-style variable substitution as a8m/envsubst does it: `$VAR`, `${VAR}`, `${VAR-default}`,
/// `${VAR:-default}`, `${VAR=default}`, `${VAR:=default}`, `${VAR+alt}`, `${VAR:+alt}`, `${VAR?msg}`,
/// `${VAR:?msg}`, `${#VAR}` and `$$` for a literal `$`. Unset variables become empty. Defaults are substituted too.
public enum Envsubst {
    /// `text` with every variable expanded from `lookup`.
    public static func expand(_ text: String, lookup: (String) -> String?) throws(CloakError) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            guard c == "$", i + 1 < s.count else {
                out.append(c)
                i += 1
                continue
            }
            let next = s[i + 1]
            if next == "$" {
                out.append("$")
                i += 2
            } else if next == "{" {
                guard let close = matchingBrace(s, from: i + 1) else {
                    throw CloakError(.config, "envsubst: missing closing brace")
                }
                let inner = String(String.UnicodeScalarView(s[(i + 2)..<close]))
                out.append(contentsOf: try braced(inner, lookup: lookup).unicodeScalars)
                i = close + 1
            } else if isNameStart(next) {
                var j = i + 1
                while j < s.count && isNameChar(s[j]) { j += 1 }
                let name = String(String.UnicodeScalarView(s[(i + 1)..<j]))
                out.append(contentsOf: (lookup(name) ?? "").unicodeScalars)
                i = j
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(out)
    }

    private static func braced(_ inner: String, lookup: (String) -> String?) throws(CloakError) -> String {
        if inner.hasPrefix("#") {
            return String((lookup(String(inner.dropFirst())) ?? "").count)
        }
        let s = Array(inner.unicodeScalars)
        var j = 0
        while j < s.count && isNameChar(s[j]) { j += 1 }
        let name = String(String.UnicodeScalarView(s[0..<j]))
        guard !name.isEmpty, isNameStart(s[0]) else {
            throw CloakError(.config, "envsubst: bad substitution")
        }
        if j == s.count { return lookup(name) ?? "" }
        var k = j
        let colon = s[k] == ":"
        if colon { k += 1 }
        guard k < s.count else { throw CloakError(.config, "envsubst: bad substitution") }
        let op = s[k]
        let word = String(String.UnicodeScalarView(s[(k + 1)...]))
        let value = lookup(name)
        let isSet = value != nil
        let usable = colon ? !(value ?? "").isEmpty : isSet
        switch op {
        case "-", "=":
            return usable ? (value ?? "") : try expand(word, lookup: lookup)
        case "+":
            return usable ? try expand(word, lookup: lookup) : ""
        case "?":
            if usable { return value ?? "" }
            throw CloakError(.config, "envsubst: variable \(name) is not set\(word.isEmpty ? "" : " (\(word))")")
        default:
            throw CloakError(.config, "envsubst: bad substitution")
        }
    }

    private static func matchingBrace(_ s: [Unicode.Scalar], from open: Int) -> Int? {
        var depth = 0
        var i = open
        while i < s.count {
            if s[i] == "{" { depth += 1 }
            if s[i] == "}" {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || ("0"..."9").contains(c)
    }
}

/// `ref+envsubst://TEXT`: the text with environment variables substituted (C.6); with a fragment the result is
/// parsed as YAML.
public struct EnvsubstRefProvider: RefProvider {
    let environment: Environment

    /// Creates the provider over `environment`.
    public init(environment: Environment = .process) { self.environment = environment }

    /// Reads the environment only.
    public var isLocal: Bool { true }

    public func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        var text = path.trimmingWhitespace()
        if text.hasSuffix("/") { text.removeLast() }
        let env = environment
        return try Envsubst.expand(text, lookup: { env[$0] })
    }

    public func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        try RefDocument.parseMap(try getString(path, params: params), source: "envsubst")
    }
}
