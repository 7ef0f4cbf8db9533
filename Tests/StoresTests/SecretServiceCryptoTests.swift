import Core
import Testing

@testable import Stores

/// The `dh-ietf1024-sha256-aes128-cbc-pkcs7` session pieces against published vectors (RFC 5869, NIST SP 800-38A)
/// and values checked with the `openssl` command line.
@Suite struct SecretServiceCryptoTests {
    func hex(_ s: String) -> [UInt8] {
        let d = Array(s.utf8)
        return stride(from: 0, to: d.count, by: 2).map { Hex.digitValue(d[$0])! << 4 | Hex.digitValue(d[$0 + 1])! }
    }

    func secret(_ bytes: [UInt8]) -> SecretBytes {
        var b = bytes
        return SecretBytes(consuming: &b)
    }

    @Test func hkdfMatchesRFC5869TestCase3() {
        let ikm = [UInt8](repeating: 0x0b, count: 22)
        let okm = ikm.withUnsafeBytes { HKDFSHA256.derive(ikm: $0, length: 42) }
        #expect(
            okm.isEqual(
                to: hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")))
    }

    @Test func aesCBCMatchesNISTAndPadsWithPKCS7() throws {
        let key = secret(hex("2b7e151628aed2a6abf7158809cf4f3c"))
        let iv = hex("000102030405060708090a0b0c0d0e0f")
        let block = hex("6bc1bee22e409f96e93d7e117393172a")
        let c = try AESCBC.encrypt(key: key, iv: iv, plaintext: secret(block))
        // A full block of input gains a whole block of padding (16 × 0x10).
        #expect(c == hex("7649abac8119b246cee98e9b12e9197d8964e0b149c10b7b682e6e39aaeb731c"))
        #expect(try AESCBC.decrypt(key: key, iv: iv, ciphertext: c).isEqual(to: block))
        for n in [0, 1, 15, 17, 100] {
            let plain = SecretBytes.randomPublic(count: n)
            let ct = try AESCBC.encrypt(key: key, iv: iv, plaintext: secret(plain))
            #expect(ct.count == (n / 16 + 1) * 16)
            #expect(try AESCBC.decrypt(key: key, iv: iv, ciphertext: ct).isEqual(to: plain))
        }
        let other = secret(hex("000102030405060708090a0b0c0d0e0f"))
        #expect(throws: CloakError.self) { try AESCBC.decrypt(key: key, iv: iv, ciphertext: Array(c.prefix(8))) }
        // The wrong key almost never leaves valid padding; this pair was checked to fail.
        #expect(throws: CloakError.self) { try AESCBC.decrypt(key: other, iv: iv, ciphertext: c) }
    }

    @Test func dhPublicValuesArePowersOfTwoModuloTheGroupPrime() throws {
        #expect(try SecretServiceDH(privateKey: secret([1])).publicKey == [2])
        #expect(try SecretServiceDH(privateKey: secret([10])).publicKey == [4, 0])
        #expect(try SecretServiceDH(privateKey: secret([16])).publicKey == [1, 0, 0])
        // 2^1024 mod p is neither small nor wider than the 1024-bit prime.
        let big = try SecretServiceDH(privateKey: secret([4, 0])).publicKey
        #expect(big.count > 100 && big.count <= 128)
    }

    @Test func theSessionKeyIsHKDFOfThePaddedSharedValue() throws {
        // Private 1 and server value 2: the shared value is 2, padded to 128 bytes, then HKDF-SHA256 to 16 bytes
        // (openssl kdf -keylen 16 -kdfopt digest:SHA256 -kdfopt hexkey:00…0002 HKDF).
        let key = try SecretServiceDH(privateKey: secret([1])).sessionKey(serverPublicKey: [2])
        #expect(key.isEqual(to: hex("fded2eddc1597b0c98d213751caef29d")))
    }

    @Test func twoPartiesAgreeAndBadServerValuesAreRejected() throws {
        let a = try SecretServiceDH()
        let b = try SecretServiceDH()
        #expect(a.publicKey != b.publicKey)
        let k1 = try a.sessionKey(serverPublicKey: b.publicKey)
        let k2 = try b.sessionKey(serverPublicKey: a.publicKey)
        #expect(k1.count == 16 && k1.isEqual(to: k2))
        #expect(throws: CloakError.self) { try a.sessionKey(serverPublicKey: [1]) }
        #expect(throws: CloakError.self) { try a.sessionKey(serverPublicKey: []) }
        #expect(throws: CloakError.self) { try a.sessionKey(serverPublicKey: [UInt8](repeating: 0xff, count: 128)) }
    }
}
