import Core
import Testing

@Suite struct DigestAndHexTests {
    @Test func sha256KnownAnswers() {
        #expect(SHA256.hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var streamed = SHA256()
        streamed.update(Array("ab".utf8))
        streamed.update(Array("c".utf8))
        #expect(streamed.finish() == SHA256.digest(Array("abc".utf8)))
    }

    @Test func hexCases() {
        #expect(Hex.encode([0x00, 0xAB, 0x7F]) == "00ab7f")
        #expect(Hex.encode([0x00, 0xAB, 0x7F], uppercase: true) == "00AB7F")
    }
}
