import Core

/// Copies a parsed JSON value back out as compact JSON into guarded memory (strings and numbers are copied as
/// their original escaped bytes), so a nested map holding secrets becomes a `SecretValue.json` without a `String`.
enum JSONSpanWriter {
    /// The value `span` of `buffer` as compact JSON.
    static func secret(_ span: JSONSpan, in buffer: UnsafeRawBufferPointer) -> SecretBytes {
        let out = SecureBuffer(capacity: 256)
        write(span, buffer, out)
        let s = out.secret()
        out.reset()
        return s
    }

    private static func write(_ span: JSONSpan, _ buf: UnsafeRawBufferPointer, _ out: SecureBuffer) {
        switch span {
        case .object(let members):
            out.append(byte: 0x7B)
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                quoted(m.key, buf, out)
                out.append(byte: 0x3A)
                write(m.value, buf, out)
            }
            out.append(byte: 0x7D)
        case .array(let items):
            out.append(byte: 0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                write(item, buf, out)
            }
            out.append(byte: 0x5D)
        case .string(let r):
            quoted(r, buf, out)
        case .number(let r):
            out.append(UnsafeRawBufferPointer(rebasing: buf[r]))
        case .bool(let b):
            out.append(b ? "true" : "false")
        case .null:
            out.append("null")
        }
    }

    private static func quoted(_ r: Range<Int>, _ buf: UnsafeRawBufferPointer, _ out: SecureBuffer) {
        out.append(byte: 0x22)
        out.append(UnsafeRawBufferPointer(rebasing: buf[r]))
        out.append(byte: 0x22)
    }
}

extension JSONDocument {
    /// The member at `path` (object keys from the root).
    func span(_ path: [String]) -> JSONSpan? {
        with { buf, root in
            var cur: JSONSpan? = root
            for p in path { cur = cur?.member(p, in: buf) }
            return cur
        }
    }

    /// A non-secret string at `path` (names, ids, tokens' metadata).
    func plain(_ path: [String]) -> String? {
        with { buf, root in
            var cur: JSONSpan? = root
            for p in path { cur = cur?.member(p, in: buf) }
            return cur?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
        }
    }

    /// A number at `path` as an integer.
    func int(_ path: [String]) -> Int? {
        with { buf, root in
            var cur: JSONSpan? = root
            for p in path { cur = cur?.member(p, in: buf) }
            guard case .number(let r) = cur else { return nil }
            return Int(String(decoding: UnsafeRawBufferPointer(rebasing: buf[r]), as: UTF8.self))
        }
    }

    /// A secret string at `path`, decoded into guarded memory.
    func secret(_ path: [String]) -> SecretBytes? {
        with { buf, root in
            var cur: JSONSpan? = root
            for p in path { cur = cur?.member(p, in: buf) }
            return cur?.stringRange.flatMap { JSONScanner.secretString(buf, $0) }
        }
    }

    /// Wipes the response body the document points into.
    func wipe() { response.body.reset() }
}
