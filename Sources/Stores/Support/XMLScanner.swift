import Core

/// Just enough XML for STS and IMDS-style replies: the content range of the first `<Name>…</Name>` element, and
/// entity decoding of that content into guarded memory.
enum XMLScanner {
    /// The content range of the first element called `name` (no attributes expected).
    static func element(_ name: String, in buffer: UnsafeRawBufferPointer) -> Range<Int>? {
        let open = Array("<\(name)>".utf8)
        let close = Array("</\(name)>".utf8)
        guard let start = find(open, in: buffer, from: 0) else { return nil }
        let contentStart = start + open.count
        guard let end = find(close, in: buffer, from: contentStart) else { return nil }
        return contentStart..<end
    }

    /// The content of an element decoded (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`) into a secret.
    static func secretText(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> SecretBytes {
        let out = SecureBuffer(capacity: range.count + 1)
        decode(buffer, range, into: out)
        return out.secret()
    }

    /// The content of a non-secret element as a `String`.
    static func plainText(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String? {
        let out = SecureBuffer(capacity: range.count + 1)
        decode(buffer, range, into: out)
        return out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.trimmingCharacters()
    }

    private static func decode(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, into out: SecureBuffer) {
        let entities: [([UInt8], UInt8)] = [
            (Array("&amp;".utf8), 0x26), (Array("&lt;".utf8), 0x3C), (Array("&gt;".utf8), 0x3E),
            (Array("&quot;".utf8), 0x22), (Array("&apos;".utf8), 0x27),
        ]
        var i = range.lowerBound
        outer: while i < range.upperBound {
            if buffer[i] == 0x26 {
                for (pattern, byte) in entities where i + pattern.count <= range.upperBound {
                    var match = true
                    for k in 0..<pattern.count where buffer[i + k] != pattern[k] {
                        match = false
                        break
                    }
                    if match {
                        out.append(byte: byte)
                        i += pattern.count
                        continue outer
                    }
                }
            }
            out.append(byte: buffer[i])
            i += 1
        }
    }

    private static func find(_ needle: [UInt8], in hay: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard needle.count > 0, hay.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
