public import Core

/// One step of a path into a SOPS tree.
public enum SopsPathComponent: Sendable, Hashable, CustomStringConvertible {
    /// A mapping key.
    case key(String)
    /// A list index.
    case index(Int)

    public var description: String {
        switch self {
        case .key(let k): "[\"\(k)\"]"
        case .index(let i): "[\(i)]"
        }
    }
}

/// Paths written the sops way: `["a"]["b"][0]`.
public enum SopsPath {
    /// Parses `["a"]["b"][0]` (also `['a']`); a bare word is a single top-level key.
    public static func parse(_ text: String) throws(CloakError) -> [SopsPathComponent] {
        let b = Array(text.utf8)
        if b.first != UInt8(ascii: "[") { return [.key(text)] }
        var out: [SopsPathComponent] = []
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "[") else { throw CloakError(.usage, "invalid tree path \(text)") }
            i += 1
            guard i < b.count else { throw CloakError(.usage, "invalid tree path \(text)") }
            if b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                let q = b[i]
                i += 1
                var key: [UInt8] = []
                while i < b.count && b[i] != q {
                    if b[i] == 92 && i + 1 < b.count { i += 1 }
                    key.append(b[i])
                    i += 1
                }
                guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "]") else {
                    throw CloakError(.usage, "invalid tree path \(text)")
                }
                out.append(.key(String(decoding: key, as: UTF8.self)))
                i += 2
            } else {
                var digits: [UInt8] = []
                while i < b.count && b[i] != UInt8(ascii: "]") {
                    digits.append(b[i])
                    i += 1
                }
                guard i < b.count, let n = Int(String(decoding: digits, as: UTF8.self)) else {
                    throw CloakError(.usage, "invalid tree path \(text)")
                }
                out.append(.index(n))
                i += 1
            }
        }
        return out
    }

    /// Renders a path as `["a"][0]`.
    public static func render(_ path: [SopsPathComponent]) -> String { path.map(\.description).joined() }
}

extension SopsValue {
    /// The value at `path`, or nil.
    public func value(at path: ArraySlice<SopsPathComponent>) -> SopsValue? {
        guard let head = path.first else { return self }
        switch (head, self) {
        case (.key(let k), .mapping(let items)):
            for item in items.reversed() {
                if case .entry(k, let v) = item { return v.value(at: path.dropFirst()) }
            }
            return nil
        case (.index(let n), .list(let es)):
            let vs = es.filter { if case .comment = $0 { false } else { true } }
            guard n >= 0 && n < vs.count else { return nil }
            return vs[n].value(at: path.dropFirst())
        default:
            return nil
        }
    }

    /// Sets the value at `path`, creating mappings for missing keys; new keys are appended.
    mutating func set(_ newValue: SopsValue, at path: ArraySlice<SopsPathComponent>) throws(CloakError) {
        guard let head = path.first else {
            self = newValue
            return
        }
        switch (head, self) {
        case (.key(let k), .mapping(var items)):
            if let i = items.lastIndex(where: { $0.key == k }), case .entry(_, var v) = items[i] {
                try v.set(newValue, at: path.dropFirst())
                items[i] = .entry(k, v)
            } else {
                var v = SopsValue.mapping([])
                try v.set(newValue, at: path.dropFirst())
                items.append(.entry(k, v))
            }
            self = .mapping(items)
        case (.key, _):
            // sops replaces a non-mapping on the way with a mapping.
            self = .mapping([])
            try set(newValue, at: path)
        case (.index(let n), .list(var es)):
            let positions = es.indices.filter { if case .comment = es[$0] { false } else { true } }
            if n >= 0 && n < positions.count {
                try es[positions[n]].set(newValue, at: path.dropFirst())
            } else if n == positions.count {
                var v = SopsValue.null
                try v.set(newValue, at: path.dropFirst())
                es.append(v)
            } else {
                throw CloakError(.usage, "list index \(n) is out of range")
            }
            self = .list(es)
        case (.index(let n), _):
            guard n == 0 else { throw CloakError(.usage, "list index \(n) is out of range") }
            self = .list([])
            try set(newValue, at: path)
        }
    }

    /// Removes the value at `path`; returns whether something was removed.
    mutating func unset(at path: ArraySlice<SopsPathComponent>) -> Bool {
        guard let head = path.first else { return false }
        let last = path.count == 1
        switch (head, self) {
        case (.key(let k), .mapping(var items)):
            guard let i = items.lastIndex(where: { $0.key == k }), case .entry(_, var v) = items[i] else { return false }
            if last {
                items.remove(at: i)
                self = .mapping(items)
                return true
            }
            let removed = v.unset(at: path.dropFirst())
            items[i] = .entry(k, v)
            self = .mapping(items)
            return removed
        case (.index(let n), .list(var es)):
            let positions = es.indices.filter { if case .comment = es[$0] { false } else { true } }
            guard n >= 0 && n < positions.count else { return false }
            if last {
                es.remove(at: positions[n])
                self = .list(es)
                return true
            }
            let removed = es[positions[n]].unset(at: path.dropFirst())
            self = .list(es)
            return removed
        default:
            return false
        }
    }

    /// Parses a JSON value the way `sops set` does (numbers become floats).
    public static func json(_ text: String) throws(CloakError) -> SopsValue {
        try JSONStore.parse(Array(text.utf8), file: "<value>")
    }

    /// A string value.
    public static func string(_ secret: SecretBytes) -> SopsValue { .leaf(SopsLeaf(type: .str, bytes: secret)) }
}
