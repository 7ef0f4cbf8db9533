import Core

/// Encodings under which a secret commonly shows up in output: base64 (standard and URL alphabets, padded and
/// not), URL query escaping, and the inside of a JSON string.
enum DerivedForms {
    private static let hex = Array("0123456789ABCDEF".utf8)
    private static let lowerHex = Array("0123456789abcdef".utf8)

    /// Every distinct form of `value` other than `value` itself.
    static func forms(of value: UnsafeRawBufferPointer) -> [[UInt8]] {
        var out: [[UInt8]] = []
        func add(_ form: [UInt8]) {
            if form.isEmpty || form.elementsEqual(value) || out.contains(form) { return }
            out.append(form)
        }
        add(base64(value, url: false, padded: true))
        add(base64(value, url: false, padded: false))
        add(base64(value, url: true, padded: true))
        add(base64(value, url: true, padded: false))
        add(queryEscaped(value))
        add(jsonEscaped(value, html: false))
        add(jsonEscaped(value, html: true))
        return out
    }

    static func base64(_ bytes: UnsafeRawBufferPointer, url: Bool, padded: Bool) -> [UInt8] {
        Base64.encodedBytes(bytes, alphabet: url ? .url : .standard, padded: padded)
    }

    /// Go's `url.QueryEscape`: unreserved bytes stay, space becomes `+`, everything else `%XX`.
    static func queryEscaped(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(b)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return out
    }

    /// The inside of a JSON string literal; `html` also escapes `<`, `>`, `&` as Go's encoder does by default.
    static func jsonEscaped(_ bytes: UnsafeRawBufferPointer, html: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        func unicode(_ b: UInt8) {
            out.append(contentsOf: Array("\\u00".utf8))
            out.append(lowerHex[Int(b >> 4)])
            out.append(lowerHex[Int(b & 15)])
        }
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32: unicode(b)
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                if html { unicode(b) } else { out.append(b) }
            default: out.append(b)
            }
        }
        return out
    }
}
