#if canImport(Glibc)
import Glibc
#endif

/// Read access to environment variables, injectable for tests.
public struct Environment: Sendable {
    private let values: [String: String]?

    /// The live process environment.
    public static let process = Environment(values: nil)

    /// A fixed environment (tests, `--pristine`).
    public init(_ values: [String: String]) { self.values = values }

    private init(values: [String: String]?) { self.values = values }

    /// The value of `name`, or nil when unset.
    public subscript(name: String) -> String? {
        if let values { return values[name] }
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }

    /// The value of `name` when set and non-empty.
    public func nonEmpty(_ name: String) -> String? {
        guard let v = self[name], !v.isEmpty else { return nil }
        return v
    }

    /// Every variable as ordered `(name, value)` pairs (process order for the live environment).
    public func all() -> [(String, String)] {
        if let values { return values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
        var out: [(String, String)] = []
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                out.append((String(text[..<eq]), String(text[text.index(after: eq)...])))
            }
            p += 1
        }
        return out
    }

    /// A fixed copy of this environment with `overrides` set (for a child process's environment).
    public func overriding(_ overrides: [String: String]) -> Environment {
        var values: [String: String] = [:]
        for (name, value) in all() where values[name] == nil { values[name] = value }
        for (name, value) in overrides { values[name] = value }
        return Environment(values)
    }

    /// The user's home directory (`HOME`, else the passwd entry).
    public var home: String {
        if let h = nonEmpty("HOME") { return h }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    /// `XDG_CONFIG_HOME` or `~/.config`.
    public var configHome: String { nonEmpty("XDG_CONFIG_HOME") ?? Path.join(home, ".config") }

    /// `XDG_CACHE_HOME` or `~/.cache`.
    public var cacheHome: String { nonEmpty("XDG_CACHE_HOME") ?? Path.join(home, ".cache") }

    /// `XDG_DATA_HOME` or `~/.local/share`.
    public var dataHome: String { nonEmpty("XDG_DATA_HOME") ?? Path.join(home, ".local/share") }

    /// Expands `~`, `$VAR` and `${VAR}` in a path-like string (unset variables become empty).
    public func expandPath(_ text: String) -> String {
        var s = text
        if s == "~" { s = home } else if s.hasPrefix("~/") { s = home + s.dropFirst() }
        guard s.contains("$") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            guard c == "$" else {
                out.append(c)
                i = s.index(after: i)
                continue
            }
            var j = s.index(after: i)
            var name = ""
            if j < s.endIndex && s[j] == "{" {
                j = s.index(after: j)
                while j < s.endIndex && s[j] != "}" {
                    name.append(s[j])
                    j = s.index(after: j)
                }
                if j < s.endIndex { j = s.index(after: j) }
            } else {
                while j < s.endIndex && (s[j].isLetter || s[j].isNumber || s[j] == "_") {
                    name.append(s[j])
                    j = s.index(after: j)
                }
            }
            if name.isEmpty { out.append("$") } else { out += self[name] ?? "" }
            i = j
        }
        return out
    }
}
