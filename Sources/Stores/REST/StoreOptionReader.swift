public import Core
public import YAML

/// Reads a store's `options:` mapping as plain values, with one-line configuration errors that name the store
/// and point at the option.
public struct StoreOptionReader: Sendable {
    /// The store's name (for messages).
    public let store: String
    /// The `options:` node (a mapping, or a nested one such as `auth:`).
    public let node: Node
    /// The key path of `node` under `options`, e.g. `auth.` (for messages).
    public let path: String

    /// Creates a reader over `options`.
    public init(store: String, node: Node, path: String = "") {
        self.store = store
        self.node = node
        self.path = path
    }

    /// A scalar option as text; nil when absent, null or empty.
    public func text(_ key: String) -> String? {
        guard let v = node[key], !v.isNull, let t = v.scalarText, !t.isEmpty else { return nil }
        return t
    }

    /// The first present of several option names.
    public func text(_ keys: [String]) -> String? {
        for k in keys { if let t = text(k) { return t } }
        return nil
    }

    /// A boolean option (`true`/`false`); nil when absent.
    public func bool(_ key: String) throws(CloakError) -> Bool? {
        guard let v = node[key], !v.isNull else { return nil }
        if let b = v.boolValue { return b }
        throw error("\(path)\(key) must be true or false", key)
    }

    /// A nested mapping option.
    public func nested(_ key: String) -> StoreOptionReader? {
        guard let v = node[key], v.isMapping else { return nil }
        return StoreOptionReader(store: store, node: v, path: "\(path)\(key).")
    }

    /// A list of strings (a sequence, or one scalar).
    public func list(_ key: String) -> [String] {
        guard let v = node[key], !v.isNull else { return [] }
        if let items = v.items { return items.compactMap { $0.scalarText } }
        return v.scalarText.map { [$0] } ?? []
    }

    /// `timeout` in seconds (`5` or `5s`).
    public func timeout() throws(CloakError) -> Double? {
        guard let t = text("timeout") else { return nil }
        var s = Substring(t)
        if s.hasSuffix("s") { s = s.dropLast() }
        guard let seconds = Double(s), seconds > 0 else {
            throw error("timeout must be a number of seconds", "timeout")
        }
        return seconds
    }

    /// `max_attempts`, a positive integer.
    public func maxAttempts() throws(CloakError) -> Int? {
        guard let a = text("max_attempts") else { return nil }
        guard let n = Int(a), n >= 1 else { throw error("max_attempts must be a positive integer", "max_attempts") }
        return n
    }

    /// A required option.
    public func required(_ keys: [String], hint: String = "") throws(CloakError) -> String {
        if let t = text(keys) { return t }
        let names = keys.map { "\(path)\($0)" }.joined(separator: " or ")
        throw CloakError(.config, "store \"\(store)\": options.\(names) is required\(hint)", at: node.location)
    }

    /// A configuration error about option `key`.
    public func error(_ message: String, _ key: String? = nil) -> CloakError {
        let loc = key.flatMap { node[$0]?.location } ?? node.location
        return CloakError(.config, "store \"\(store)\": options.\(message)", at: loc)
    }
}
