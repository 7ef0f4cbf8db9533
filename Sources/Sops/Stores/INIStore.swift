public import Core

/// sops's INI store (go-ini conventions): sections become top-level mappings, keys before the first header go to
/// `DEFAULT`, all values are strings, comments become comment items (a section comment first in its mapping, a
/// key's comment right after the key), metadata is the final `[sops]` section.
struct INIStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { Array($0) }
        var sections: [(String, [SopsItem])] = [("DEFAULT", [])]
        var pending: [String] = []
        var meta: [(String, String)] = []
        var i = 0
        func flushComment(_ into: inout [SopsItem]) {
            if pending.isEmpty { return }
            into.append(.comment(SecretBytes.text(pending.joined(separator: "\n"))))
            pending = []
        }
        while i < lines.count {
            var line = Self.trim(lines[i])
            i += 1
            if line.isEmpty { continue }
            if line[0] == UInt8(ascii: ";") || line[0] == UInt8(ascii: "#") {
                pending.append(Self.commentText(line))
                continue
            }
            if line[0] == UInt8(ascii: "[") {
                guard let close = line.lastIndex(of: UInt8(ascii: "]")) else {
                    throw CloakError(.config, "invalid INI section header", at: SourceLocation(file: file, line: i))
                }
                let name = String(decoding: Self.trim(Array(line[1..<close])), as: UTF8.self)
                var items: [SopsItem] = []
                flushComment(&items)
                sections.append((name, items))
                continue
            }
            guard let eq = line.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else {
                throw CloakError(.config, "invalid INI line: no '=' after key", at: SourceLocation(file: file, line: i))
            }
            let key = String(decoding: Self.trim(Array(line[..<eq])), as: UTF8.self)
            var raw = Self.trim(Array(line[(eq + 1)...]))
            line.removeAll()
            var inlineComment: String?
            var value: [UInt8]
            if raw.starts(with: Array("\"\"\"".utf8)) {
                // Triple-quoted multi-line value.
                var acc = Array(raw.dropFirst(3))
                while true {
                    if let end = Self.find(Array("\"\"\"".utf8), in: acc) {
                        value = Array(acc[..<end])
                        break
                    }
                    guard i < lines.count else {
                        throw CloakError(.config, "unterminated \"\"\" value", at: SourceLocation(file: file, line: i))
                    }
                    acc += [10] + lines[i]
                    i += 1
                }
            } else if raw.count >= 2, let q = raw.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "`") || q == UInt8(ascii: "'"),
                      let end = raw.dropFirst().firstIndex(of: q)
            {
                value = Array(raw[1..<end])
            } else {
                if let c = raw.firstIndex(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "#") }) {
                    inlineComment = Self.commentText(Array(raw[c...]))
                    raw = Self.trim(Array(raw[..<c]))
                }
                value = raw
            }
            raw.removeAll()
            if sections[sections.count - 1].0 == "sops" {
                meta.append((key, String(decoding: value, as: UTF8.self)))
                continue
            }
            if let inlineComment { pending.append(inlineComment) }
            sections[sections.count - 1].1.append(.entry(key, .leaf(SopsLeaf(type: .str, bytes: SecretBytes(consuming: &value)))))
            flushComment(&sections[sections.count - 1].1)
        }
        var items: [SopsItem] = []
        for (n, (name, sItems)) in sections.enumerated() {
            if n == 0 && sItems.isEmpty { continue }
            if name == "sops" { continue }
            items.append(.entry(name, .mapping(sItems)))
        }
        if meta.isEmpty { return LoadedDocuments(documents: [items]) }
        return LoadedDocuments(
            documents: [items], metadata: try FlatMetadata.unflatten(meta, file: file), flatKeyOrder: meta.map(\.0))
    }

    private static func trim(_ b: [UInt8]) -> [UInt8] {
        var s = b[...]
        while let f = s.first, f == 32 || f == 9 || f == 13 { s = s.dropFirst() }
        while let l = s.last, l == 32 || l == 9 || l == 13 { s = s.dropLast() }
        return Array(s)
    }

    private static func commentText(_ line: [UInt8]) -> String {
        var s = line[...]
        while let f = s.first, f == UInt8(ascii: ";") || f == UInt8(ascii: "#") { s = s.dropFirst() }
        while let f = s.first, f == 32 { s = s.dropFirst() }
        return String(decoding: s, as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        var blocks: [[UInt8]] = []
        for item in documents.first ?? [] {
            guard case .entry(let name, let v) = item else { continue }
            guard case .mapping(let entries) = v else {
                throw CloakError(.usage, "INI: top-level key \(name) must be a section (mapping)")
            }
            var sectionComment: [String] = []
            var rows: [(comment: [String], key: String, value: SopsLeaf?)] = []
            for e in entries {
                switch e {
                case .comment(let c):
                    let text = c.unsafeString()
                    if rows.isEmpty { sectionComment.append(text) } else { rows[rows.count - 1].comment.append(text) }
                case .entry(let k, let val):
                    switch val {
                    case .leaf(let l): rows.append(([], k, l))
                    case .null: rows.append(([], k, nil))
                    default: throw CloakError(.usage, "INI: value of \(name).\(k) must be a scalar")
                    }
                }
            }
            var out: [UInt8] = []
            for c in sectionComment { out += Self.commentLines(c) }
            if name != "DEFAULT" { out += Array("[\(name)]\n".utf8) }
            let width = rows.map { $0.key.count }.max() ?? 0
            for r in rows {
                for c in r.comment { out += Self.commentLines(c) }
                out += Array(r.key.utf8) + Array(String(repeating: " ", count: width - r.key.count).utf8)
                out += Array(" = ".utf8)
                if let l = r.value { Self.appendValue(l, to: &out) }
                out.append(10)
            }
            blocks.append(out)
        }
        if let metadata {
            let pairs = FlatMetadata.ordered(FlatMetadata.flatten(metadata), keep: flatKeyOrder)
            let width = pairs.map { $0.0.count }.max() ?? 0
            var out = Array("[sops]\n".utf8)
            for (k, v) in pairs {
                out += Array((k + String(repeating: " ", count: width - k.count) + " = " + FlatMetadata.escapeNewlines(v) + "\n").utf8)
            }
            blocks.append(out)
        }
        var result: [UInt8] = []
        for (n, b) in blocks.enumerated() {
            if n > 0 { result.append(10) }
            result += b
        }
        return result
    }

    private static func commentLines(_ c: String) -> [UInt8] {
        var out: [UInt8] = []
        for line in c.split(separator: "\n", omittingEmptySubsequences: false) { out += Array("; \(line)\n".utf8) }
        return out
    }

    private static func appendValue(_ l: SopsLeaf, to out: inout [UInt8]) {
        let s = l.type == .str ? l.bytes.unsafeString() : l.envString
        if s.contains("\n") {
            out += Array("\"\"\"\(s)\"\"\"".utf8)
        } else if s.contains(";") || s.contains("#") || s.hasPrefix(" ") || s.hasSuffix(" ") {
            out += Array("`\(s)`".utf8)
        } else {
            out += Array(s.utf8)
        }
    }
}
