import Core
import Testing

@testable import Sops

@Suite struct AgeBech32Tests {
    private func decode(_ text: String) throws -> (hrp: String, data: [UInt8]) {
        var data: [UInt8] = []
        let hrp = try Array(text.utf8).withUnsafeBytes { buf in try Bech32.decode(buf, into: &data) }
        return (hrp, data)
    }

    private func encode(_ hrp: String, _ data: [UInt8], uppercase: Bool = false) -> String {
        let h = Array(hrp.utf8)
        var out = [UInt8](repeating: 0, count: Bech32.encodedCount(hrpCount: h.count, dataCount: data.count))
        out.withUnsafeMutableBytes { o in
            data.withUnsafeBytes { Bech32.encode(hrp: h, data: $0, uppercase: uppercase, into: o) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // Valid checksums from BIP-173 whose data part is also a whole number of bytes.
    @Test(arguments: ["A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"])
    func bip173ValidStrings(_ text: String) throws {
        let (hrp, data) = try decode(text)
        #expect(encode(hrp.lowercased(), data, uppercase: text.first?.isUppercase == true) == text)
    }

    @Test(arguments: [
        "A1G7SGD8",  // checksum computed over an upper-case HRP
        "1nwldj5",  // empty HRP
        "x1b4n0q5v",  // 'b' is not in the alphabet
        "li1dgmt3",  // data part too short
        "A12UEL5l",  // mixed case
        "a12uel5m",  // bad checksum
    ])
    func bip173InvalidStrings(_ text: String) {
        #expect(throws: Bech32.Failure.self) { try decode(text) }
    }

    @Test func randomPayloadsRoundTrip() throws {
        // Every length 0…64 and many random byte patterns, so each 5→8 bit alignment is exercised.
        for length in 0...64 {
            for _ in 0..<8 {
                let data = SecretBytes.randomPublic(count: length)
                let text = encode("age", data)
                let decoded = try decode(text)
                #expect(decoded.hrp == "age" && decoded.data == data)
                #expect(try decode(text.uppercased()).data == data)
            }
        }
    }

    @Test func manyGeneratedIdentitiesRoundTrip() throws {
        for _ in 0..<200 {
            let identity = AgeIdentity.generate()
            let reparsed = try AgeIdentity(parsing: identity.encoded())
            #expect(reparsed.scalar.isEqual(to: identity.scalar))
            #expect(try AgeRecipient(parsing: identity.recipient.string) == identity.recipient)
        }
    }

    // An independent checksum (BIP-173 reference algorithm) to build strings with chosen 5-bit groups.
    private func withChecksum(_ hrp: String, _ groups: [UInt8]) -> String {
        let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        let gen: [UInt32] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
        var values = hrp.utf8.map { $0 >> 5 } + [0] + hrp.utf8.map { $0 & 31 } + groups + [0, 0, 0, 0, 0, 0]
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ffffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= gen[i] }
        }
        chk ^= 1
        values = groups + (0..<6).map { UInt8((chk >> UInt32(5 * (5 - $0))) & 31) }
        return hrp + "1" + String(decoding: values.map { charset[Int($0)] }, as: UTF8.self)
    }

    @Test func paddingRulesAreEnforced() throws {
        // One byte is two 5-bit groups with 2 padding bits.
        #expect(try decode(withChecksum("age", [31, 28])).data == [0xFF])
        #expect(throws: Bech32.Failure.self) { try decode(withChecksum("age", [31, 29])) }  // non-zero padding
        #expect(throws: Bech32.Failure.self) { try decode(withChecksum("age", [31, 28, 0])) }  // 7 padding bits
        #expect(try decode(withChecksum("age", [])).data.isEmpty)
    }
}
