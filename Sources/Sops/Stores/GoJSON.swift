public import Core
internal import YAML

/// JSON reading and writing with Go `encoding/json` conventions, straight into and out of SOPS trees:
/// key order and duplicate keys kept, every number a float64 (sops 3.11), TAB indentation, Go string escaping.
enum GoJSON {
    // MARK: reading

    /// Parses a JSON document into a SOPS value.
    static func parse(_ bytes: [UInt8], file: String) throws(CloakError) -> SopsValue {
        var p = Parser(b: bytes, file: file)
        p.skipWS()
        let v = try p.value(depth: 0)
        p.skipWS()
        if p.i < bytes.count { throw p.fail("unexpected data after the top-level value") }
        return v
    }

    private struct Parser {
        let b: [UInt8]
        let file: String
        var i = 0

        func fail(_ msg: String) -> CloakError {
            var line = 1, col = 1
            for k in 0..<min(i, b.count) {
                if b[k] == 10 { line += 1; col = 1 } else { col += 1 }
            }
            return CloakError(.config, "invalid JSON: \(msg)", at: SourceLocation(file: file, line: line, column: col))
        }

        mutating func skipWS() {
            while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
        }

        mutating func value(depth: Int) throws(CloakError) -> SopsValue {
            guard depth < 1000 else { throw fail("nesting too deep") }
            guard i < b.count else { throw fail("unexpected end of input") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var items: [SopsItem] = []
                skipWS()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .mapping(items) }
                while true {
                    skipWS()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                    var keyBytes = try string()
                    let key = String(decoding: keyBytes, as: UTF8.self)
                    keyBytes.removeAll()
                    skipWS()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipWS()
                    items.append(.entry(key, try value(depth: depth + 1)))
                    skipWS()
                    guard i < b.count else { throw fail("unexpected end of input in object") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .mapping(items) }
                    throw fail("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var elements: [SopsValue] = []
                skipWS()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .list(elements) }
                while true {
                    skipWS()
                    elements.append(try value(depth: depth + 1))
                    skipWS()
                    guard i < b.count else { throw fail("unexpected end of input in array") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .list(elements) }
                    throw fail("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                var s = try string()
                return .leaf(SopsLeaf(type: .str, bytes: SecretBytes(consuming: &s)))
            case UInt8(ascii: "t"): try literal("true"); return .leaf(.typed(.bool, "True"))
            case UInt8(ascii: "f"): try literal("false"); return .leaf(.typed(.bool, "False"))
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                let start = i
                if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
                while i < b.count, (b[i] >= 48 && b[i] <= 57) || b[i] == 46 || b[i] == 101 || b[i] == 69
                    || b[i] == 43 || b[i] == 45
                {
                    i += 1
                }
                let text = String(decoding: b[start..<i], as: UTF8.self)
                guard i > start, let d = Double(text), d.isFinite else {
                    i = start
                    throw fail("invalid value")
                }
                return .leaf(.typed(.float, GoFloat.formatF(d)))
            }
        }

        mutating func literal(_ word: String) throws(CloakError) {
            let w = Array(word.utf8)
            guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { throw fail("invalid literal") }
            i += w.count
        }

        mutating func hex4() throws(CloakError) -> UInt32 {
            guard i + 4 <= b.count else { throw fail("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 65...70: d = UInt32(c - 55)
                case 97...102: d = UInt32(c - 87)
                default: throw fail("bad \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func string() throws(CloakError) -> [UInt8] {
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < b.count else { throw fail("unterminated string") }
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return out }
                if c < 0x20 { throw fail("control character in string") }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    i += 1
                    continue
                }
                i += 1
                guard i < b.count else { throw fail("unterminated escape") }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "/"): out.append(47)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var cp = try hex4()
                    if cp >= 0xD800 && cp < 0xDC00 {
                        if i + 6 <= b.count, b[i] == 92, b[i + 1] == UInt8(ascii: "u") {
                            let save = i
                            i += 2
                            let lo = try hex4()
                            if lo >= 0xDC00 && lo < 0xE000 {
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                i = save
                                cp = 0xFFFD
                            }
                        } else {
                            cp = 0xFFFD
                        }
                    } else if cp >= 0xDC00 && cp < 0xE000 {
                        cp = 0xFFFD
                    }
                    out += Array(String(Character(Unicode.Scalar(cp) ?? "\u{FFFD}")).utf8)
                default: throw fail("invalid escape")
                }
            }
        }
    }

    // MARK: writing

    /// Appends `bytes` as a Go-escaped JSON string (HTML-safe, invalid UTF-8 → U+FFFD).
    static func appendString(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(34)
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c < 0x80 {
                switch c {
                case 34: out += [92, 34]
                case 92: out += [92, 92]
                case 10: out += [92, UInt8(ascii: "n")]
                case 13: out += [92, UInt8(ascii: "r")]
                case 9: out += [92, UInt8(ascii: "t")]
                case 8: out += [92, UInt8(ascii: "b")]
                case 12: out += [92, UInt8(ascii: "f")]
                case 60, 62, 38, 0..<0x20:
                    out += Array("\\u00".utf8) + [hex[Int(c >> 4)], hex[Int(c & 15)]]
                default: out.append(c)
                }
                i += 1
                continue
            }
            let len = utf8SequenceLength(bytes, at: i)
            if len == 0 {
                out += Array("\\ufffd".utf8)
                i += 1
                continue
            }
            // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
            if len == 3 && bytes[i] == 0xE2 && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) {
                out += Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
            } else {
                for k in 0..<len { out.append(bytes[i + k]) }
            }
            i += len
        }
        out.append(34)
    }

    /// Length of a valid UTF-8 sequence starting at `i`, or 0 when invalid.
    private static func utf8SequenceLength(_ b: UnsafeRawBufferPointer, at i: Int) -> Int {
        let c = b[i]
        let n = b.count
        func cont(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0:
            return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xED:
            return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xF0:
            return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4:
            return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// Writes `value` indented with `indent` (TAB by default) the way `json.Indent` lays out Go's compact output.
    static func write(_ value: SopsValue, indent: String = "\t", level: Int = 0, to out: inout [UInt8]) throws(CloakError) {
        let ind = Array(indent.utf8)
        func newline(_ l: Int) {
            out.append(10)
            for _ in 0..<l { out += ind }
        }
        switch value {
        case .mapping(let items):
            let entries = items.compactMap { item -> (String, SopsValue)? in
                if case .entry(let k, let v) = item { return (k, v) }
                return nil
            }
            if entries.isEmpty { out += [123, 125]; return }
            out.append(123)
            for (n, (k, v)) in entries.enumerated() {
                if n > 0 { out.append(44) }
                newline(level + 1)
                Array(k.utf8).withUnsafeBytes { appendString($0, to: &out) }
                out += [58, 32]
                try write(v, indent: indent, level: level + 1, to: &out)
            }
            newline(level)
            out.append(125)
        case .list(let elements):
            let vs = elements.filter { if case .comment = $0 { false } else { true } }
            if vs.isEmpty { out += [91, 93]; return }
            out.append(91)
            for (n, v) in vs.enumerated() {
                if n > 0 { out.append(44) }
                newline(level + 1)
                try write(v, indent: indent, level: level + 1, to: &out)
            }
            newline(level)
            out.append(93)
        case .null, .comment:
            out += Array("null".utf8)
        case .leaf(let leaf):
            try writeLeaf(leaf, to: &out)
        }
    }

    private static func writeLeaf(_ leaf: SopsLeaf, to out: inout [UInt8]) throws(CloakError) {
        switch leaf.type {
        case .str, .time, .comment:
            leaf.bytes.withUnsafeBytes { appendString($0, to: &out) }
        case .bytes:
            let b64 = leaf.bytes.withUnsafeBytes { SopsBase64.encode($0) }
            Array(b64.utf8).withUnsafeBytes { appendString($0, to: &out) }
        case .int:
            leaf.bytes.withUnsafeBytes { out += $0 }
        case .bool:
            let v = MetadataCodec.parseBool(leaf.bytes.unsafeString()) ?? false
            out += Array((v ? "true" : "false").utf8)
        case .float:
            let d = leaf.doubleValue
            guard d.isFinite else { throw CloakError(.decrypt, "json: unsupported value: \(d.isNaN ? "NaN" : "Inf")") }
            out += Array((GoFloat.formatJSON(d) ?? "").utf8)
        }
    }
}

extension SopsLeaf {
    /// The float value of a `float` leaf (Go ParseFloat of its 'f' text; `+Inf`, `-Inf`, `NaN`).
    var doubleValue: Double {
        let s = bytes.unsafeString()
        switch s {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(s) ?? .nan
        }
    }
}
