/// BIP-173 Bech32 as age uses it: the original checksum constant (not Bech32m) and no 90-character limit.
/// Works on raw buffers so that secret keys are never copied into a `String`.
enum Bech32 {
    /// Why a string is not valid Bech32.
    enum Failure: Error, CustomStringConvertible {
        case mixedCase, invalidCharacter, missingSeparator, tooShort, badChecksum, badPadding

        var description: String {
            switch self {
            case .mixedCase: "mixed upper and lower case"
            case .invalidCharacter: "invalid character"
            case .missingSeparator: "missing separator '1'"
            case .tooShort: "too short"
            case .badChecksum: "bad checksum"
            case .badPadding: "invalid padding bits"
            }
        }
    }

    private static let charset: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 128)
        for (i, c) in charset.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    private static func step(_ chk: UInt32, _ value: UInt8) -> UInt32 {
        let generators: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3
        )
        let top = chk >> 25
        var next = (chk & 0x1ff_ffff) << 5 ^ UInt32(value)
        if top & 1 != 0 { next ^= generators.0 }
        if top & 2 != 0 { next ^= generators.1 }
        if top & 4 != 0 { next ^= generators.2 }
        if top & 8 != 0 { next ^= generators.3 }
        if top & 16 != 0 { next ^= generators.4 }
        return next
    }

    private static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5A) ? c + 32 : c }
    private static func upper(_ c: UInt8) -> UInt8 { (c >= 0x61 && c <= 0x7A) ? c - 32 : c }

    private static func hrpChecksumState(_ hrp: some Collection<UInt8>) -> UInt32 {
        var chk: UInt32 = 1
        for c in hrp { chk = step(chk, lower(c) >> 5) }
        chk = step(chk, 0)
        for c in hrp { chk = step(chk, lower(c) & 31) }
        return chk
    }

    /// Length of the encoding of `dataCount` bytes under an HRP of `hrpCount` characters.
    static func encodedCount(hrpCount: Int, dataCount: Int) -> Int {
        hrpCount + 1 + (dataCount * 8 + 4) / 5 + 6
    }

    /// Encodes `data` under `hrp` into `out`, which must be exactly `encodedCount` bytes; `uppercase` prints the
    /// whole string in upper case (the checksum is always over the lower-case form).
    static func encode(
        hrp: [UInt8],
        data: UnsafeRawBufferPointer,
        uppercase: Bool,
        into out: UnsafeMutableRawBufferPointer
    ) {
        precondition(out.count == encodedCount(hrpCount: hrp.count, dataCount: data.count))
        var chk = hrpChecksumState(hrp)
        var o = 0
        func emit(_ c: UInt8) {
            out[o] = uppercase ? upper(c) : lower(c)
            o += 1
        }
        for c in hrp { emit(c) }
        emit(0x31)
        var acc: UInt32 = 0
        var bits = 0
        for byte in data {
            acc = (acc << 8 | UInt32(byte)) & 0xFFF
            bits += 8
            while bits >= 5 {
                bits -= 5
                let v = UInt8((acc >> UInt32(bits)) & 31)
                chk = step(chk, v)
                emit(charset[Int(v)])
            }
        }
        if bits > 0 {
            let v = UInt8((acc << UInt32(5 - bits)) & 31)
            chk = step(chk, v)
            emit(charset[Int(v)])
        }
        acc = 0
        for _ in 0..<6 { chk = step(chk, 0) }
        chk ^= 1
        for i in 0..<6 { emit(charset[Int((chk >> UInt32(5 * (5 - i))) & 31)]) }
    }

    /// Decodes `text`, appending the 8-bit payload to `data` (the caller wipes it) and returning the HRP exactly
    /// as written (so callers can insist on a case).
    static func decode(_ text: UnsafeRawBufferPointer, into data: inout [UInt8]) throws(Failure) -> String {
        var hasLower = false
        var hasUpper = false
        var separator = -1
        for (i, c) in text.enumerated() {
            guard c >= 33 && c <= 126 else { throw .invalidCharacter }
            if c >= 0x61 && c <= 0x7A { hasLower = true }
            if c >= 0x41 && c <= 0x5A { hasUpper = true }
            if c == 0x31 { separator = i }
        }
        if hasLower && hasUpper { throw .mixedCase }
        guard separator >= 1 else { throw .missingSeparator }
        let valueCount = text.count - separator - 1
        guard valueCount >= 6 else { throw .tooShort }

        var chk = hrpChecksumState(text[0..<separator])
        for c in text[(separator + 1)...] {
            let v = reverse[Int(lower(c))]
            guard v != 0xFF else { throw .invalidCharacter }
            chk = step(chk, v)
        }
        guard chk == 1 else { throw .badChecksum }

        data.reserveCapacity(data.count + (valueCount - 6) * 5 / 8)
        var acc: UInt32 = 0
        var bits = 0
        for c in text[(separator + 1)..<(text.count - 6)] {
            acc = (acc << 5 | UInt32(reverse[Int(lower(c))])) & 0xFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                data.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        let leftover = acc & ((1 << UInt32(bits)) - 1)
        acc = 0
        guard bits < 5, leftover == 0 else { throw .badPadding }
        return String(decoding: text[0..<separator], as: UTF8.self)
    }
}
