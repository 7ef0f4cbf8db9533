import CAESGCM
import Core
import Testing
@testable import Sops

/// The AES-NI path against FIPS-197 and against OpenSSL EVP (the fallback), which the SOPS interop tests already
/// tie to real sops.
@Suite struct AESGCMTests {
    @Test func aes256BlockMatchesFIPS197() throws {
        try #require(cloak_aesgcm_available() == 1, "this CPU has no AES-NI; the EVP path is the one in use")
        let key = (0..<32).map { UInt8($0) }
        let plain: [UInt8] = hex("00112233445566778899aabbccddeeff")
        var out = [UInt8](repeating: 0, count: 16)
        cloak_aes256_encrypt_block(key, plain, &out)
        #expect(Hex.encode(out) == "8ea2b7ca516745bfeafc49904b496089")
    }

    @Test func gcmWithNISTTestCase16() throws {
        // NIST GCM spec (McGrew & Viega) test case 16: AES-256, 96-bit IV, AAD.
        try #require(cloak_aesgcm_available() == 1)
        let key: [UInt8] = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let iv: [UInt8] = hex("cafebabefacedbaddecaf888")
        let aad: [UInt8] = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let plain: [UInt8] = hex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        var out = [UInt8](repeating: 0, count: plain.count)
        var tag = [UInt8](repeating: 0, count: 16)
        #expect(cloak_aesgcm_seal(key, iv, iv.count, aad, aad.count, plain, &out, plain.count, &tag) == 1)
        #expect(Hex.encode(out) == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
        #expect(Hex.encode(tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
    }

    @Test func hardwareAndEVPAgreeOnRandomInputs() throws {
        try #require(AESGCM.hardware, "this CPU has no AES-NI; nothing to compare")
        for round in 0..<200 {
            let key = SecretBytes.random(count: 32)
            let iv = SecretBytes.randomPublic(count: [1, 12, 16, 32, 33, 64][round % 6])
            let aad = SecretBytes.randomPublic(count: round % 40)
            let plain = SecretBytes.randomPublic(count: (round * 7) % 300)
            let hw = try seal(key: key, iv: iv, aad: aad, plain: plain, evp: false)
            let evp = try seal(key: key, iv: iv, aad: aad, plain: plain, evp: true)
            #expect(hw.ciphertext == evp.ciphertext && hw.tag == evp.tag, "round \(round)")
            let back = try AESGCM.open(key: key, iv: iv, aad: aad, ciphertext: hw.ciphertext, tag: hw.tag)
            #expect(back.isEqual(to: plain))
            let viaEVP = try AESGCM.evpOpenForTests(key: key, iv: iv, aad: aad, ciphertext: hw.ciphertext, tag: hw.tag)
            #expect(viaEVP.isEqual(to: plain))
        }
    }

    @Test func tamperingIsRejected() throws {
        let key = SecretBytes.random(count: 32)
        let iv = SecretBytes.randomPublic(count: 32)
        let plain = Array("the secret value".utf8)
        let sealed = try seal(key: key, iv: iv, aad: [1, 2], plain: plain, evp: false)
        var badTag = sealed.tag
        badTag[0] ^= 1
        var badText = sealed.ciphertext
        badText[3] ^= 0x80
        #expect(throws: CloakError.self) { _ = try AESGCM.open(key: key, iv: iv, aad: [1, 2], ciphertext: sealed.ciphertext, tag: badTag) }
        #expect(throws: CloakError.self) { _ = try AESGCM.open(key: key, iv: iv, aad: [1, 2], ciphertext: badText, tag: sealed.tag) }
        #expect(throws: CloakError.self) { _ = try AESGCM.open(key: key, iv: iv, aad: [1, 3], ciphertext: sealed.ciphertext, tag: sealed.tag) }
        let good = try AESGCM.open(key: key, iv: iv, aad: [1, 2], ciphertext: sealed.ciphertext, tag: sealed.tag)
        #expect(good.isEqual(to: plain))
    }

    private func seal(key: SecretBytes, iv: [UInt8], aad: [UInt8], plain: [UInt8], evp: Bool) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        var result: (ciphertext: [UInt8], tag: [UInt8]) = ([], [])
        var failure: (any Error)?
        plain.withUnsafeBytes { p in
            do {
                result = evp
                    ? try AESGCM.evpSealForTests(key: key, iv: iv, aad: aad, plaintext: p)
                    : try AESGCM.seal(key: key, iv: iv, aad: aad, plaintext: p)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }
}

private func hex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = text.startIndex
    while i < text.endIndex {
        let j = text.index(i, offsetBy: 2)
        out.append(UInt8(text[i..<j], radix: 16)!)
        i = j
    }
    return out
}
