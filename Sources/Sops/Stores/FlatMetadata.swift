public import Core

/// Flattening of the `sops` block for dotenv and INI (A.10): maps joined with `__map_`, lists with `__list_<n>`,
/// newlines written as the two characters `\n`.
enum FlatMetadata {
    /// Flattened (key, value) pairs in tree order.
    static func flatten(_ v: SopsValue) -> [(String, String)] {
        var out: [(String, String)] = []
        func walk(_ v: SopsValue, _ prefix: String) {
            switch v {
            case .mapping(let items):
                for case .entry(let k, let c) in items { walk(c, prefix.isEmpty ? k : prefix + "__map_" + k) }
            case .list(let es):
                var n = 0
                for e in es {
                    if case .comment = e { continue }
                    walk(e, prefix + "__list_" + String(n))
                    n += 1
                }
            case .leaf(let l):
                var s = l.bytes.publicString
                if l.type == .bool { s = (MetadataCodec.parseBool(s) ?? false) ? "true" : "false" }
                out.append((prefix, s))
            case .null, .comment:
                out.append((prefix, ""))
            }
        }
        walk(v, "")
        return out
    }

    /// Orders flattened pairs: the loaded order when every key is known, else sorted by the full key (sops 3.11 dotenv).
    static func ordered(_ pairs: [(String, String)], keep order: [String]?) -> [(String, String)] {
        if let order {
            let keys = Set(pairs.map(\.0))
            if Set(order) == keys && order.count == pairs.count {
                let dict = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
                return order.map { ($0, dict[$0] ?? "") }
            }
        }
        return pairs.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
    }

    static func escapeNewlines(_ s: String) -> String { s.replacing("\n", with: "\\n") }
    static func unescapeNewlines(_ s: String) -> String { s.replacing("\\n", with: "\n") }

    private indirect enum Node {
        case map([(String, Node)])
        case list([Int: Node])
        case leaf(String)
    }

    /// Rebuilds the `sops` block from flattened pairs.
    static func unflatten(_ pairs: [(String, String)], file: String) throws(CloakError) -> SopsValue {
        var root = Node.map([])
        for (key, value) in pairs {
            let path = try components(key, file: file)
            insert(&root, path[...], value)
        }
        return try convert(root, file: file)
    }

    private enum Component { case key(String), index(Int) }

    private static func components(_ key: String, file: String) throws(CloakError) -> [Component] {
        var out: [Component] = []
        var rest = Substring(key)
        func nextSep(_ s: Substring) -> Range<Substring.Index>? {
            let a = s.firstRange(of: "__map_"), b = s.firstRange(of: "__list_")
            switch (a, b) {
            case (nil, nil): return nil
            case (let x?, nil): return x
            case (nil, let y?): return y
            case (let x?, let y?): return x.lowerBound <= y.lowerBound ? x : y
            }
        }
        var first = true
        var isList = false
        while true {
            let sep = nextSep(rest)
            let part = sep.map { rest[..<$0.lowerBound] } ?? rest
            if first {
                out.append(.key(String(part)))
            } else if isList {
                guard let n = Int(part) else { throw CloakError(.decrypt, "\(file): bad flattened metadata key \(key)") }
                out.append(.index(n))
            } else {
                out.append(.key(String(part)))
            }
            first = false
            guard let sep else { break }
            isList = rest[sep] == "__list_"
            rest = rest[sep.upperBound...]
        }
        return out
    }

    private static func insert(_ node: inout Node, _ path: ArraySlice<Component>, _ value: String) {
        guard let head = path.first else {
            node = .leaf(value)
            return
        }
        let tail = path.dropFirst()
        let emptyChild: Node = {
            if case .index = tail.first { return .list([:]) }
            return tail.isEmpty ? .leaf("") : .map([])
        }()
        switch (head, node) {
        case (.key(let k), .map(var entries)):
            if let i = entries.firstIndex(where: { $0.0 == k }) {
                var child = entries[i].1
                insert(&child, tail, value)
                entries[i].1 = child
            } else {
                var child = emptyChild
                insert(&child, tail, value)
                entries.append((k, child))
            }
            node = .map(entries)
        case (.index(let n), .list(var elems)):
            var child = elems[n] ?? emptyChild
            insert(&child, tail, value)
            elems[n] = child
            node = .list(elems)
        default:
            break
        }
    }

    private static func convert(_ node: Node, file: String) throws(CloakError) -> SopsValue {
        switch node {
        case .leaf(let s): return .leaf(.string(unescapeNewlines(s)))
        case .map(let entries):
            var items: [SopsItem] = []
            for (k, v) in entries { items.append(.entry(k, try convert(v, file: file))) }
            return .mapping(items)
        case .list(let elems):
            var out: [SopsValue] = []
            for i in 0..<elems.count {
                guard let e = elems[i] else { throw CloakError(.decrypt, "\(file): incomplete list in sops metadata") }
                out.append(try convert(e, file: file))
            }
            return .list(out)
        }
    }
}
