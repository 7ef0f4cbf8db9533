import Core

/// A strict RFC 8259 parser over raw bytes that produces a `JSONSpan` (offsets only) and decodes chosen string
/// fields straight into libsodium memory. A malformed document is reported by byte offset, never by content.
enum JSONScanner {
    /// Why a document did not parse: the byte offset only.
    struct Malformed: Error, Sendable {
        /// Offset of the first unexpected byte.
        var offset: Int
    }

    /// Nesting deeper than this is rejected (keeps recursion bounded).
    static let maxDepth = 128

    /// Parses a whole document (surrounding whitespace allowed).
    static func parse(_ buffer: UnsafeRawBufferPointer) throws(Malformed) -> JSONSpan {
        var p = Parser(buf: buffer, pos: 0)
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.pos == buffer.count else { throw Malformed(offset: p.pos) }
        return value
    }

    /// The kind of the top-level value, or nil when `bytes` is not JSON.
    static func kind(of bytes: SecretBytes) -> JSONSpan.Kind? {
        bytes.withUnsafeBytes { buf in (try? parse(buf))?.kind }
    }

    /// Decodes the escaped string content at `range` into `out`. Returns false on a bad escape or surrogate.
    @discardableResult
    static func decodeString(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, into out: SecureBuffer) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            // Copy runs of plain bytes at once.
            var j = i
            while j < range.upperBound && buffer[j] != 0x5C { j += 1 }
            if j > i { out.append(UnsafeRawBufferPointer(rebasing: buffer[i..<j])) }
            if j >= range.upperBound { break }
            // buffer[j] is a backslash.
            guard j + 1 < range.upperBound else { return false }
            let e = buffer[j + 1]
            i = j + 2
            switch e {
            case 0x22: out.append(byte: 0x22)
            case 0x5C: out.append(byte: 0x5C)
            case 0x2F: out.append(byte: 0x2F)
            case 0x62: out.append(byte: 0x08)
            case 0x66: out.append(byte: 0x0C)
            case 0x6E: out.append(byte: 0x0A)
            case 0x72: out.append(byte: 0x0D)
            case 0x74: out.append(byte: 0x09)
            case 0x75:
                guard var scalar = hex4(buffer, i, range.upperBound) else { return false }
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard i + 6 <= range.upperBound, buffer[i] == 0x5C, buffer[i + 1] == 0x75,
                        let low = hex4(buffer, i + 2, range.upperBound), low >= 0xDC00, low < 0xE000
                    else { return false }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    return false
                }
                appendUTF8(scalar, to: out)
            default:
                return false
            }
        }
        return true
    }

    /// Decodes the string at `range` into a new secret; nil on a bad escape.
    static func secretString(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> SecretBytes? {
        let out = SecureBuffer(capacity: range.count + 16)
        guard decodeString(buffer, range, into: out) else { return nil }
        return out.secret()
    }

    /// Decodes the string at `range` as a plain `String`: only for non-secret fields (names, codes, ARNs).
    static func plainString(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String? {
        let out = SecureBuffer(capacity: range.count + 16)
        guard decodeString(buffer, range, into: out) else { return nil }
        return out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    private static func hex4(_ b: UnsafeRawBufferPointer, _ at: Int, _ end: Int) -> UInt32? {
        guard at + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[at + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    private static func appendUTF8(_ s: UInt32, to out: SecureBuffer) {
        switch s {
        case 0..<0x80:
            out.append(byte: UInt8(s))
        case 0x80..<0x800:
            out.append(byte: UInt8(0xC0 | (s >> 6)))
            out.append(byte: UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            out.append(byte: UInt8(0xE0 | (s >> 12)))
            out.append(byte: UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(byte: UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(byte: UInt8(0xF0 | (s >> 18)))
            out.append(byte: UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(byte: UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(byte: UInt8(0x80 | (s & 0x3F)))
        }
    }

    private struct Parser {
        let buf: UnsafeRawBufferPointer
        var pos: Int

        mutating func skipSpace() {
            while pos < buf.count {
                switch buf[pos] {
                case 0x20, 0x09, 0x0A, 0x0D: pos += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Malformed) -> JSONSpan {
            guard depth < JSONScanner.maxDepth, pos < buf.count else { throw Malformed(offset: pos) }
            switch buf[pos] {
            case 0x7B: return try object(depth: depth)
            case 0x5B: return try array(depth: depth)
            case 0x22: return .string(try string())
            case 0x74: try literal("true"); return .bool(true)
            case 0x66: try literal("false"); return .bool(false)
            case 0x6E: try literal("null"); return .null
            case 0x2D, 0x30...0x39: return .number(try number())
            default: throw Malformed(offset: pos)
            }
        }

        mutating func literal(_ word: StaticString) throws(Malformed) {
            let n = word.utf8CodeUnitCount
            guard pos + n <= buf.count else { throw Malformed(offset: pos) }
            let w = word.utf8Start
            for k in 0..<n where buf[pos + k] != w[k] { throw Malformed(offset: pos + k) }
            pos += n
        }

        mutating func number() throws(Malformed) -> Range<Int> {
            let start = pos
            if buf[pos] == 0x2D { pos += 1 }
            guard pos < buf.count else { throw Malformed(offset: pos) }
            if buf[pos] == 0x30 {
                pos += 1
            } else if (0x31...0x39).contains(buf[pos]) {
                while pos < buf.count && (0x30...0x39).contains(buf[pos]) { pos += 1 }
            } else {
                throw Malformed(offset: pos)
            }
            if pos < buf.count && buf[pos] == 0x2E {
                pos += 1
                let digits = pos
                while pos < buf.count && (0x30...0x39).contains(buf[pos]) { pos += 1 }
                guard pos > digits else { throw Malformed(offset: pos) }
            }
            if pos < buf.count && (buf[pos] == 0x65 || buf[pos] == 0x45) {
                pos += 1
                if pos < buf.count && (buf[pos] == 0x2B || buf[pos] == 0x2D) { pos += 1 }
                let digits = pos
                while pos < buf.count && (0x30...0x39).contains(buf[pos]) { pos += 1 }
                guard pos > digits else { throw Malformed(offset: pos) }
            }
            return start..<pos
        }

        /// Returns the escaped content range; validates escapes and rejects raw control characters.
        mutating func string() throws(Malformed) -> Range<Int> {
            pos += 1
            let start = pos
            while pos < buf.count {
                let c = buf[pos]
                if c == 0x22 {
                    let r = start..<pos
                    pos += 1
                    return r
                }
                if c < 0x20 { throw Malformed(offset: pos) }
                if c == 0x5C {
                    guard pos + 1 < buf.count else { throw Malformed(offset: pos) }
                    switch buf[pos + 1] {
                    case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: pos += 2
                    case 0x75:
                        guard pos + 6 <= buf.count else { throw Malformed(offset: pos) }
                        for k in 2..<6 {
                            let h = buf[pos + k]
                            let ok = (0x30...0x39).contains(h) || (0x41...0x46).contains(h) || (0x61...0x66).contains(h)
                            if !ok { throw Malformed(offset: pos + k) }
                        }
                        pos += 6
                    default: throw Malformed(offset: pos + 1)
                    }
                    continue
                }
                pos += 1
            }
            throw Malformed(offset: pos)
        }

        mutating func object(depth: Int) throws(Malformed) -> JSONSpan {
            pos += 1
            var members: [(key: Range<Int>, value: JSONSpan)] = []
            skipSpace()
            if pos < buf.count && buf[pos] == 0x7D {
                pos += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard pos < buf.count, buf[pos] == 0x22 else { throw Malformed(offset: pos) }
                let key = try string()
                skipSpace()
                guard pos < buf.count, buf[pos] == 0x3A else { throw Malformed(offset: pos) }
                pos += 1
                skipSpace()
                let v = try value(depth: depth + 1)
                members.append((key, v))
                skipSpace()
                guard pos < buf.count else { throw Malformed(offset: pos) }
                if buf[pos] == 0x2C {
                    pos += 1
                    continue
                }
                if buf[pos] == 0x7D {
                    pos += 1
                    return .object(members)
                }
                throw Malformed(offset: pos)
            }
        }

        mutating func array(depth: Int) throws(Malformed) -> JSONSpan {
            pos += 1
            var items: [JSONSpan] = []
            skipSpace()
            if pos < buf.count && buf[pos] == 0x5D {
                pos += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard pos < buf.count else { throw Malformed(offset: pos) }
                if buf[pos] == 0x2C {
                    pos += 1
                    continue
                }
                if buf[pos] == 0x5D {
                    pos += 1
                    return .array(items)
                }
                throw Malformed(offset: pos)
            }
        }
    }
}
