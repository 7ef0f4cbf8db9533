import Core
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfcVectorsPaddedAndRaw() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
            let raw = String(encoded.filter { $0 != "=" })
            #expect(Base64.encode(Array(plain.utf8), padded: false) == raw)
            #expect(Base64.decode(raw, padded: false) == Array(plain.utf8))
        }
    }

    @Test func urlAlphabet() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64.encode(bytes, alphabet: .url) == "-_-_")
        #expect(Base64.decode("-_-_", alphabet: .url) == bytes)
        #expect(Base64.decode("-_-_") == nil)
        #expect(Base64.decode("+/+/", alphabet: .url) == nil)
        #expect(Base64.encode([0xFF], alphabet: .url, padded: false) == "_w")
    }

    @Test func malformedInputIsRejected() {
        #expect(Base64.decode("Zg=") == nil)
        #expect(Base64.decode("Zg") == nil)
        #expect(Base64.decode("Z===") == nil)
        #expect(Base64.decode("Zg==Zg==") == nil)
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Zg==", padded: false) == nil)
        #expect(Base64.decode("Z", padded: false) == nil)
    }

    @Test func strictRejectsWhatLenientAccepts() {
        // "Zh==" carries non-zero unused bits; line breaks are only skipped when lenient, as Go's default decoder does.
        #expect(Base64.decode("Zh==") == nil)
        #expect(Base64.decode("Zh==", mode: .lenient) == [0x66])
        #expect(Base64.decode("Zm9v\r\nYmFy") == nil)
        #expect(Base64.decode("Zm9v\r\nYmFy", mode: .lenient) == Array("foobar".utf8))
        #expect(Base64.decode("Zh", padded: false) == nil)
        #expect(Base64.decode("Zh", padded: false, mode: .lenient) == [0x66])
    }
}
