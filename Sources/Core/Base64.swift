/// Base64 (RFC 4648) in the variants Go's `encoding/base64` offers: the standard or URL-safe alphabet, padded or
/// raw (unpadded), and strict or lenient decoding.
public enum Base64 {
    /// Which 64 characters stand for the 6-bit values.
    public enum Alphabet: Sendable {
        /// `A–Z a–z 0–9 + /` (RFC 4648 §4, Go's `StdEncoding`).
        case standard
        /// `A–Z a–z 0–9 - _` (RFC 4648 §5, Go's `URLEncoding`).
        case url
    }

    /// How forgiving decoding is.
    public enum DecodeMode: Sendable {
        /// Canonical input only: no line breaks and zero unused bits in the last character (Go's `.Strict()`).
        case strict
        /// Go's default decoder: `\r` and `\n` are skipped anywhere and unused trailing bits are ignored.
        case lenient
    }

    private static let standardCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let standardValues = values(of: standardCharacters)
    private static let urlValues = values(of: urlCharacters)
    private static let pad = UInt8(ascii: "=")

    private static func values(of characters: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in characters.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }

    /// Encodes `bytes`; `padded` adds `=` up to a multiple of four characters.
    public static func encode(_ bytes: some Collection<UInt8>, alphabet: Alphabet = .standard, padded: Bool = true)
        -> String
    {
        let input = Array(bytes)
        return String(decoding: input.withUnsafeBytes { encodedBytes($0, alphabet: alphabet, padded: padded) }, as: UTF8.self)
    }

    /// Encodes raw memory into encoded bytes (no `String` is made, for secrets in guarded memory).
    public static func encodedBytes(_ input: UnsafeRawBufferPointer, alphabet: Alphabet = .standard, padded: Bool = true)
        -> [UInt8]
    {
        let characters = alphabet == .standard ? standardCharacters : urlCharacters
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out += [characters[Int(n >> 18)], characters[Int(n >> 12 & 63)], characters[Int(n >> 6 & 63)],
                    characters[Int(n & 63)]]
            i += 3
        }
        switch input.count - i {
        case 1:
            let n = UInt32(input[i]) << 16
            out += [characters[Int(n >> 18)], characters[Int(n >> 12 & 63)]]
            if padded { out += [pad, pad] }
        case 2:
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out += [characters[Int(n >> 18)], characters[Int(n >> 12 & 63)], characters[Int(n >> 6 & 63)]]
            if padded { out.append(pad) }
        default:
            break
        }
        return out
    }

    /// Decodes base64 text; `nil` when it is malformed for the chosen variant. Padded input needs a multiple of four
    /// characters with `=` only as the last one or two; raw input must not contain `=`.
    @inlinable
    public static func decode(
        _ text: some Collection<UInt8>, alphabet: Alphabet = .standard, padded: Bool = true, mode: DecodeMode = .strict
    ) -> [UInt8]? {
        // Contiguous input (Array, String.UTF8View) decodes without generic indirection: SOPS values are many.
        if let done = text.withContiguousStorageIfAvailable({ decodeBuffer($0, alphabet: alphabet, padded: padded, mode: mode) }) {
            return done
        }
        return Array(text).withUnsafeBufferPointer { decodeBuffer($0, alphabet: alphabet, padded: padded, mode: mode) }
    }

    @usableFromInline
    static func decodeBuffer(
        _ text: UnsafeBufferPointer<UInt8>, alphabet: Alphabet, padded: Bool, mode: DecodeMode
    ) -> [UInt8]? {
        let table = alphabet == .standard ? standardValues : urlValues
        var values: [UInt8] = []
        values.reserveCapacity(text.count)
        var padding = 0
        for character in text {
            if mode == .lenient && (character == UInt8(ascii: "\r") || character == UInt8(ascii: "\n")) { continue }
            if character == pad {
                guard padded else { return nil }
                padding += 1
                continue
            }
            let value = table[Int(character)]
            guard padding == 0, value != 0xFF else { return nil }
            values.append(value)
        }
        if padded {
            guard (values.count + padding) % 4 == 0, padding <= 2 else { return nil }
            if padding > 0 && values.count % 4 != 4 - padding { return nil }
        }
        if values.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var i = 0
        while i + 4 <= values.count {
            let n = UInt32(values[i]) << 18 | UInt32(values[i + 1]) << 12 | UInt32(values[i + 2]) << 6
                | UInt32(values[i + 3])
            out.append(UInt8(n >> 16))
            out.append(UInt8(n >> 8 & 255))
            out.append(UInt8(n & 255))
            i += 4
        }
        var unusedBits: UInt32 = 0
        switch values.count - i {
        case 2:
            let n = UInt32(values[i]) << 6 | UInt32(values[i + 1])
            out.append(UInt8(n >> 4))
            unusedBits = n & 0xF
        case 3:
            let n = UInt32(values[i]) << 12 | UInt32(values[i + 1]) << 6 | UInt32(values[i + 2])
            out += [UInt8(n >> 10), UInt8(n >> 2 & 255)]
            unusedBits = n & 0x3
        default:
            break
        }
        if mode == .strict && unusedBits != 0 { return nil }
        return out
    }

    /// Decodes the UTF-8 of `text`; see `decode(_:alphabet:padded:mode:)`.
    public static func decode(
        _ text: some StringProtocol, alphabet: Alphabet = .standard, padded: Bool = true, mode: DecodeMode = .strict
    ) -> [UInt8]? {
        decode(text.utf8, alphabet: alphabet, padded: padded, mode: mode)
    }
}
