import CCrypto
import Sops
public import Core

/// AES-128-CBC with PKCS#7 padding (the Secret Service session cipher), through OpenSSL EVP.
public enum AESCBC {
    /// Encrypts a secret; the ciphertext is not secret.
    public static func encrypt(key: SecretBytes, iv: [UInt8], plaintext: SecretBytes) throws(CloakError) -> [UInt8] {
        try LibCrypto.load()
        guard key.count == 16, iv.count == 16, let ctx = ccrypto_EVP_CIPHER_CTX_new() else { throw failure("encrypt") }
        defer { ccrypto_EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var len: Int32 = 0
        var total = 0
        var ok = key.withUnsafeBytes { k in
            iv.withUnsafeBufferPointer {
                ccrypto_EVP_EncryptInit_ex(ctx, ccrypto_EVP_aes_128_cbc(), nil, k.bindMemory(to: UInt8.self).baseAddress, $0.baseAddress)
                    == 1
            }
        }
        if ok && plaintext.count > 0 {
            ok = plaintext.withUnsafeBytes { p in
                out.withUnsafeMutableBufferPointer {
                    ccrypto_EVP_EncryptUpdate(ctx, $0.baseAddress, &len, p.bindMemory(to: UInt8.self).baseAddress, Int32(p.count))
                        == 1
                }
            }
            total = Int(len)
        }
        ok = ok && out.withUnsafeMutableBufferPointer { ccrypto_EVP_EncryptFinal_ex(ctx, $0.baseAddress! + total, &len) == 1 }
        guard ok else { throw failure("encrypt") }
        total += Int(len)
        out.removeSubrange(total...)
        return out
    }

    /// Decrypts into guarded memory; throws when the padding does not check out (a wrong key).
    public static func decrypt(key: SecretBytes, iv: [UInt8], ciphertext: [UInt8]) throws(CloakError) -> SecretBytes {
        try LibCrypto.load()
        guard key.count == 16, iv.count == 16, ciphertext.count % 16 == 0, !ciphertext.isEmpty,
            let ctx = ccrypto_EVP_CIPHER_CTX_new()
        else { throw failure("decrypt") }
        defer { ccrypto_EVP_CIPHER_CTX_free(ctx) }
        var scratch = [UInt8](repeating: 0, count: ciphertext.count + 16)
        defer { for i in scratch.indices { scratch[i] = 0 } }
        var len: Int32 = 0
        var ok = key.withUnsafeBytes { k in
            iv.withUnsafeBufferPointer {
                ccrypto_EVP_DecryptInit_ex(ctx, ccrypto_EVP_aes_128_cbc(), nil, k.bindMemory(to: UInt8.self).baseAddress, $0.baseAddress)
                    == 1
            }
        }
        ok = ok && scratch.withUnsafeMutableBufferPointer { s in
            ciphertext.withUnsafeBufferPointer {
                ccrypto_EVP_DecryptUpdate(ctx, s.baseAddress, &len, $0.baseAddress, Int32($0.count)) == 1
            }
        }
        let head = Int(len)
        ok = ok && scratch.withUnsafeMutableBufferPointer { ccrypto_EVP_DecryptFinal_ex(ctx, $0.baseAddress! + head, &len) == 1 }
        guard ok else { throw failure("decrypt") }
        let total = head + Int(len)
        return scratch.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<total])) }
    }

    private static func failure(_ what: String) -> CloakError {
        CloakError(.backend, "keychain: cannot \(what) the secret with the Secret Service session key")
    }
}
