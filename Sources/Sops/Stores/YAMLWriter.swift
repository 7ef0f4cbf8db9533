public import Core
internal import YAML

/// Writes SOPS trees the way sops's go-yaml v3 encoder does (block style, configurable indent — 4 by default —,
/// sequences indented under their key, mappings in sequences starting on the dash line, comments as `#text`).
struct YAMLWriter {
    let indent: Int
    var out: [UInt8] = []

    init(indent: Int) { self.indent = max(indent, 2) }

    mutating func document(_ items: [SopsItem]) throws(CloakError) {
        if items.isEmpty {
            out += Array("{}\n".utf8)
            return
        }
        try mapping(items, keyColumn: 0, base: 0, firstOnCurrentLine: false)
    }

    private mutating func spaces(_ n: Int) { out += [UInt8](repeating: 32, count: n) }

    private mutating func comment(_ text: SecretBytes, column: Int) {
        spaces(column)
        out.append(UInt8(ascii: "#"))
        text.withUnsafeBytes { out += $0 }
        out.append(10)
    }

    /// `keyColumn`: where keys start; `base`: the column children and block scalars are indented from.
    /// `firstOnCurrentLine`: the first key continues a `- ` already written.
    private mutating func mapping(
        _ items: [SopsItem], keyColumn: Int, base: Int, firstOnCurrentLine: Bool
    ) throws(CloakError) {
        var onDashLine = firstOnCurrentLine
        for item in items {
            switch item {
            case .comment(let text):
                if onDashLine {
                    out.append(UInt8(ascii: "#"))
                    text.withUnsafeBytes { out += $0 }
                    out.append(10)
                    onDashLine = false
                } else {
                    comment(text, column: keyColumn)
                }
            case .entry(let key, let value):
                if !onDashLine { spaces(keyColumn) }
                onDashLine = false
                scalarText(key, isKey: true, base: base)
                out.append(UInt8(ascii: ":"))
                try self.value(value, base: base + indent)
            }
        }
    }

    /// Writes what follows `key:` (or `- `): inline scalars / empty collections, else a newline and the block.
    private mutating func value(_ v: SopsValue, base: Int) throws(CloakError) {
        switch v {
        case .mapping(let items):
            if !items.contains(where: { $0.key != nil }) && items.isEmpty {
                out += Array(" {}\n".utf8)
                return
            }
            out.append(10)
            try mapping(items, keyColumn: base, base: base, firstOnCurrentLine: false)
        case .list(let elements):
            if elements.isEmpty {
                out += Array(" []\n".utf8)
                return
            }
            out.append(10)
            try sequence(elements, dashColumn: base, firstOnCurrentLine: false)
        case .null:
            out += Array(" null\n".utf8)
        case .comment:
            out += Array(" null\n".utf8)
        case .leaf(let leaf):
            out.append(32)
            leafText(leaf, base: base)
            out.append(10)
        }
    }

    private mutating func sequence(
        _ elements: [SopsValue], dashColumn: Int, firstOnCurrentLine: Bool
    ) throws(CloakError) {
        var onDashLine = firstOnCurrentLine
        for e in elements {
            if case .comment(let text) = e {
                if onDashLine {
                    out.append(UInt8(ascii: "#"))
                    text.withUnsafeBytes { out += $0 }
                    out.append(10)
                    onDashLine = false
                } else {
                    comment(text, column: dashColumn)
                }
                continue
            }
            if !onDashLine { spaces(dashColumn) }
            onDashLine = false
            out += Array("- ".utf8)
            switch e {
            case .mapping(let items) where !items.isEmpty:
                try mapping(items, keyColumn: dashColumn + 2, base: dashColumn, firstOnCurrentLine: true)
            case .list(let inner) where !inner.isEmpty:
                try sequence(inner, dashColumn: dashColumn + 2, firstOnCurrentLine: true)
            case .mapping:
                out += Array("{}\n".utf8)
            case .list:
                out += Array("[]\n".utf8)
            case .null, .comment:
                out += Array("null\n".utf8)
            case .leaf(let leaf):
                leafText(leaf, base: dashColumn + indent)
                out.append(10)
            }
        }
    }

    private mutating func leafText(_ leaf: SopsLeaf, base: Int) {
        switch leaf.type {
        case .str, .bytes, .comment:
            // Decrypted output must pass through a String for quoting decisions; it lives only in this scope.
            scalarText(leaf.bytes.unsafeString(), isKey: false, base: base)
        case .int, .time:
            leaf.bytes.withUnsafeBytes { out += $0 }
        case .bool:
            out += Array(((MetadataCodec.parseBool(leaf.bytes.unsafeString()) ?? false) ? "true" : "false").utf8)
        case .float:
            let d = leaf.doubleValue
            out += Array(GoFloat.formatYAML(d).utf8)
        }
    }

    private mutating func scalarText(_ s: String, isKey: Bool, base: Int) {
        switch YAMLScalarStyle.choose(s, isKey: isKey) {
        case .plain:
            out += Array(s.utf8)
        case .singleQuoted:
            out.append(39)
            for b in s.utf8 {
                if b == 39 { out += [39, 39] } else { out.append(b) }
            }
            out.append(39)
        case .doubleQuoted:
            doubleQuoted(s)
        case .literal:
            literal(s, base: base)
        }
    }

    private mutating func doubleQuoted(_ s: String) {
        let hex = Array("0123456789ABCDEF".utf8)
        out.append(34)
        for c in s.unicodeScalars {
            let v = c.value
            switch v {
            case 0: out += Array("\\0".utf8)
            case 7: out += Array("\\a".utf8)
            case 8: out += Array("\\b".utf8)
            case 9: out += Array("\\t".utf8)
            case 10: out += Array("\\n".utf8)
            case 11: out += Array("\\v".utf8)
            case 12: out += Array("\\f".utf8)
            case 13: out += Array("\\r".utf8)
            case 27: out += Array("\\e".utf8)
            case 34: out += Array("\\\"".utf8)
            case 92: out += Array("\\\\".utf8)
            case 0x85: out += Array("\\N".utf8)
            case 0xA0: out += Array("\\_".utf8)
            case 0x2028: out += Array("\\L".utf8)
            case 0x2029: out += Array("\\P".utf8)
            default:
                let printable = (v >= 0x20 && v <= 0x7E) || (v >= 0xA0 && v <= 0xD7FF)
                    || (v >= 0xE000 && v <= 0xFFFD && v != 0xFEFF) || (v >= 0x10000 && v <= 0x10FFFF)
                if printable {
                    out += Array(String(c).utf8)
                } else {
                    let (prefix, width): (String, Int) = v <= 0xFF ? ("\\x", 2) : v <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
                    out += Array(prefix.utf8)
                    for k in stride(from: width - 1, through: 0, by: -1) { out.append(hex[Int((v >> (UInt32(k) * 4)) & 15)]) }
                }
            }
        }
        out.append(34)
    }

    private mutating func literal(_ s: String, base: Int) {
        let b = Array(s.utf8)
        out.append(UInt8(ascii: "|"))
        if let f = b.first, f == 32 || f == 10 { out += Array(String(indent).utf8) }
        if b.last != 10 {
            out.append(UInt8(ascii: "-"))
        } else if b.count == 1 || b[b.count - 2] == 10 {
            out.append(UInt8(ascii: "+"))
        }
        out.append(10)
        var lines = b.split(separator: 10, omittingEmptySubsequences: false)
        if b.last == 10 { lines.removeLast() }
        for line in lines {
            if !line.isEmpty {
                spaces(base)
                out += line
            }
            out.append(10)
        }
        // The caller appends a newline after every value; a literal block already ended its last line.
        out.removeLast()
    }
}
