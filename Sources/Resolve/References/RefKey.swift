public import Core

/// A reference key (`backend://path?query#fragment`) taken apart as vals does (C.3): the backend, the provider
/// path (host and path joined), the query parameters and the fragment.
public struct RefKey: Sendable, Hashable {
    /// The key as matched (after nested references were substituted).
    public var text: String
    /// The backend name (URL scheme), e.g. `sops`.
    public var scheme: String
    /// The host part, or the whole ARN for `arn:aws:` / `arn:aws-` keys.
    public var host: String
    /// The percent-decoded path.
    public var path: String
    /// The raw query string (without `?`).
    public var rawQuery: String
    /// The percent-decoded fragment (without `#`), nil when the key has none.
    public var fragment: String?

    /// Parses `text` (without the `ref+` prefix). URL syntax errors (invalid host characters, a bad port, a bad
    /// percent escape) are errors naming the backend.
    public init(parsing text: String) throws(CloakError) {
        self.text = text
        let scalars = Array(text.unicodeScalars)
        guard let sep = (0..<max(0, scalars.count - 2)).first(where: { scalars[$0] == ":" && scalars[$0 + 1] == "/" && scalars[$0 + 2] == "/" }) else {
            throw CloakError(.config, "invalid reference: missing ://")
        }
        scheme = String(String.UnicodeScalarView(scalars[..<sep]))
        try RefKey.validateScheme(scheme)
        var rest = String(String.UnicodeScalarView(scalars[(sep + 3)...]))
        if rest.hasPrefix("arn:aws:") || rest.hasPrefix("arn:aws-") {
            let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? rest.endIndex
            host = String(rest[..<end])
            rest = String(rest[end...])
            path = ""
            (rawQuery, fragment) = try RefKey.splitQueryFragment(rest, scheme: scheme)
            return
        }
        var fragmentText: String?
        if let hash = rest.firstIndex(of: "#") {
            fragmentText = String(rest[rest.index(after: hash)...])
            rest = String(rest[..<hash])
        }
        if let q = rest.firstIndex(of: "?") {
            rawQuery = String(rest[rest.index(after: q)...])
            rest = String(rest[..<q])
        } else {
            rawQuery = ""
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<slash])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        host = try RefKey.validateHost(authority, scheme: scheme)
        path = try RefKey.percentDecode(String(rest[slash...]), scheme: scheme, what: "path")
        fragment = try fragmentText.map { (f) throws(CloakError) -> String in try RefKey.percentDecode(f, scheme: scheme, what: "fragment") }
    }

    /// The path handed to the provider: `host/path-without-leading-slash` when there is a host, else the path.
    public var providerPath: String {
        if host.isEmpty { return path }
        var p = Substring(path)
        if p.first == "/" { p = p.dropFirst() }
        return host + "/" + p
    }

    /// The key without its fragment (documents are cached under it).
    public var documentKey: String {
        guard let hash = text.firstIndex(of: "#") else { return text }
        return String(text[..<hash])
    }

    /// Query parameters, first value per name winning.
    public var query: [String: String] {
        var out: [String: String] = [:]
        for part in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = try? RefKey.percentDecode(String(pieces[0]), scheme: scheme, what: "query") else { continue }
            let value = pieces.count > 1 ? ((try? RefKey.percentDecode(String(pieces[1]), scheme: scheme, what: "query")) ?? "") : ""
            if out[name] == nil { out[name] = value }
        }
        return out
    }

    static func splitQueryFragment(_ rest: String, scheme: String) throws(CloakError) -> (String, String?) {
        var text = rest
        var fragment: String?
        if let hash = text.firstIndex(of: "#") {
            fragment = try percentDecode(String(text[text.index(after: hash)...]), scheme: scheme, what: "fragment")
            text = String(text[..<hash])
        }
        if text.first == "?" { text.removeFirst() }
        return (text, fragment)
    }

    static func validateScheme(_ scheme: String) throws(CloakError) {
        guard let first = scheme.unicodeScalars.first else {
            throw CloakError(.config, "invalid reference: missing backend name before ://")
        }
        for c in scheme.unicodeScalars {
            let ok = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "+" || c == "-" || c == "."
            if !ok { throw CloakError(.config, "invalid reference: backend name \"\(scheme)\" has an invalid character") }
        }
        if !(("a"..."z").contains(first) || ("A"..."Z").contains(first)) {
            throw CloakError(.config, "invalid reference: backend name \"\(scheme)\" must start with a letter")
        }
    }

    /// Go's host rules: sub-delims and `:[]<>"` are allowed, `{`, `}`, `|`, `\`, `^`, backtick and spaces are not; a
    /// `:` must be followed by a numeric port.
    static func validateHost(_ host: String, scheme: String) throws(CloakError) -> String {
        let allowed = Set("!$&'()*+,;=:[]<>\"-_.~%".unicodeScalars)
        for c in host.unicodeScalars where c.isASCII {
            let alnum = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
            if !alnum && !allowed.contains(c) {
                throw CloakError(.config, "ref+\(scheme): invalid character \"\(Character(c))\" in host name (use it in the path, after the first /)")
            }
        }
        if !host.hasPrefix("["), let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            if !port.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw CloakError(.config, "ref+\(scheme): invalid port after host (a ':' in the host part must be followed by digits)")
            }
        }
        return try percentDecode(host, scheme: scheme, what: "host")
    }

    /// `%XX` decoding; a malformed escape is an error.
    static func percentDecode(_ text: String, scheme: String, what: String) throws(CloakError) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let src = Array(text.utf8)
        var i = 0
        while i < src.count {
            if src[i] == UInt8(ascii: "%") {
                guard i + 2 < src.count, let h = hexValue(src[i + 1]), let l = hexValue(src[i + 2]) else {
                    throw CloakError(.config, "ref+\(scheme): invalid URL escape in the \(what)")
                }
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(src[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
