/// Encodings under which a secret commonly shows up in output: base64 (standard and URL alphabets, padded and
/// not), URL query escaping, and the inside of a JSON string.
enum DerivedForms {
    private static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
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
        let alphabet = url ? urlAlphabet : standardAlphabet
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            if rest == 2 { out.append(alphabet[Int(n >> 6 & 63)]) }
            if padded { out.append(contentsOf: rest == 2 ? [61] : [61, 61]) }
        }
        return out
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
