import CAESGCM
import CCrypto
public import Core

/// AES-256-GCM with SOPS's 32-byte IV (libsodium accepts only 12-byte nonces): AES-NI with OpenSSL's GCM mode when
/// the CPU has it (`CAESGCM`), else OpenSSL EVP.
enum AESGCM {
    static let ivSize = 32
    static let tagSize = 16
    /// Whether the AES-NI path is used; `CLOAK_AESGCM=evp` forces EVP (the tests compare both).
    static let hardware: Bool = cloak_aesgcm_available() == 1 && Environment.process["CLOAK_AESGCM"] != "evp"

    /// Encrypts; returns ciphertext (same length as the plaintext) and the 16-byte tag.
    static func seal(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], plaintext: UnsafeRawBufferPointer
    ) throws(CloakError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        if hardware { return try hardwareSeal(key: key, iv: iv, aad: aad, plaintext: plaintext) }
        return try evpSeal(key: key, iv: iv, aad: aad, plaintext: plaintext)
    }

    /// Decrypts and authenticates straight into guarded memory; throws `.decrypt` on a bad tag.
    static func open(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) throws(CloakError) -> SecretBytes {
        if hardware { return try hardwareOpen(key: key, iv: iv, aad: aad, ciphertext: ciphertext, tag: tag) }
        return try evpOpen(key: key, iv: iv, aad: aad, ciphertext: ciphertext, tag: tag)
    }

    private static func hardwareSeal(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], plaintext: UnsafeRawBufferPointer
    ) throws(CloakError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard key.count == 32, !iv.isEmpty else { throw CloakError(.internal, "AES-GCM: invalid data key or IV length") }
        var out = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: tagSize)
        let ok = key.withUnsafeBytes { k in
            out.withUnsafeMutableBufferPointer { o in
                tag.withUnsafeMutableBufferPointer { t in
                    cloak_aesgcm_seal(
                        k.bindMemory(to: UInt8.self).baseAddress, iv, iv.count, aad, aad.count,
                        plaintext.bindMemory(to: UInt8.self).baseAddress, o.baseAddress, plaintext.count, t.baseAddress)
                }
            }
        }
        guard ok == 1 else { throw CloakError(.internal, "AES-GCM encryption failed") }
        return (out, tag)
    }

    private static func hardwareOpen(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) throws(CloakError) -> SecretBytes {
        guard key.count == 32, tag.count == tagSize, !iv.isEmpty else {
            throw CloakError(.decrypt, "message authentication failed")
        }
        return try SecretBytes(count: ciphertext.count) { (out: UnsafeMutableRawBufferPointer) throws(CloakError) in
            let ok = key.withUnsafeBytes { k in
                cloak_aesgcm_open(
                    k.bindMemory(to: UInt8.self).baseAddress, iv, iv.count, aad, aad.count, ciphertext,
                    out.bindMemory(to: UInt8.self).baseAddress, ciphertext.count, tag)
            }
            guard ok == 1 else { throw CloakError(.decrypt, "message authentication failed") }
        }
    }

    private static func evpSeal(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], plaintext: UnsafeRawBufferPointer
    ) throws(CloakError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        try LibCrypto.load()
        guard key.count == 32, let ctx = ccrypto_EVP_CIPHER_CTX_new() else {
            throw CloakError(.internal, "AES-GCM: invalid data key length or no cipher context")
        }
        defer { ccrypto_EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: tagSize)
        var ok = ccrypto_EVP_EncryptInit_ex(ctx, ccrypto_EVP_aes_256_gcm(), nil, nil, nil) == 1
        ok = ok && ccrypto_EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, Int32(iv.count), nil) == 1
        ok = ok && key.withUnsafeBytes { k in
            iv.withUnsafeBufferPointer { ivp in
                ccrypto_EVP_EncryptInit_ex(ctx, nil, nil, k.bindMemory(to: UInt8.self).baseAddress, ivp.baseAddress) == 1
            }
        }
        var len: Int32 = 0
        if ok && !aad.isEmpty {
            ok = aad.withUnsafeBufferPointer { ccrypto_EVP_EncryptUpdate(ctx, nil, &len, $0.baseAddress, Int32($0.count)) == 1 }
        }
        var total = 0
        if ok && plaintext.count > 0 {
            ok = out.withUnsafeMutableBufferPointer { o in
                ccrypto_EVP_EncryptUpdate(
                    ctx, o.baseAddress, &len, plaintext.bindMemory(to: UInt8.self).baseAddress, Int32(plaintext.count)
                ) == 1
            }
            total = Int(len)
        }
        if ok {
            ok = out.withUnsafeMutableBufferPointer { o in ccrypto_EVP_EncryptFinal_ex(ctx, o.baseAddress! + total, &len) == 1 }
            total += Int(len)
        }
        ok = ok && tag.withUnsafeMutableBytes { ccrypto_EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, $0.baseAddress) == 1 }
        guard ok else { throw CloakError(.internal, "AES-GCM encryption failed in OpenSSL") }
        out.removeSubrange(total...)
        return (out, tag)
    }

    private static func evpOpen(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) throws(CloakError) -> SecretBytes {
        try LibCrypto.load()
        guard key.count == 32, tag.count == tagSize, !iv.isEmpty, let ctx = ccrypto_EVP_CIPHER_CTX_new() else {
            throw CloakError(.decrypt, "message authentication failed")
        }
        defer { ccrypto_EVP_CIPHER_CTX_free(ctx) }
        return try SecretBytes(count: ciphertext.count) { (out: UnsafeMutableRawBufferPointer) throws(CloakError) in
            var ok = ccrypto_EVP_DecryptInit_ex(ctx, ccrypto_EVP_aes_256_gcm(), nil, nil, nil) == 1
            ok = ok && ccrypto_EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, Int32(iv.count), nil) == 1
            ok = ok && key.withUnsafeBytes { k in
                iv.withUnsafeBufferPointer { ivp in
                    ccrypto_EVP_DecryptInit_ex(ctx, nil, nil, k.bindMemory(to: UInt8.self).baseAddress, ivp.baseAddress) == 1
                }
            }
            var len: Int32 = 0
            if ok && !aad.isEmpty {
                ok = aad.withUnsafeBufferPointer {
                    ccrypto_EVP_DecryptUpdate(ctx, nil, &len, $0.baseAddress, Int32($0.count)) == 1
                }
            }
            // OpenSSL may write a block beyond the input for some modes; GCM is a stream mode, so count bytes suffice.
            var scratch: UInt8 = 0
            let o = out.bindMemory(to: UInt8.self).baseAddress ?? withUnsafeMutablePointer(to: &scratch) { $0 }
            if ok && !ciphertext.isEmpty {
                ok = ciphertext.withUnsafeBufferPointer {
                    ccrypto_EVP_DecryptUpdate(ctx, o, &len, $0.baseAddress, Int32($0.count)) == 1
                }
            }
            var t = tag
            ok = ok && t.withUnsafeMutableBytes {
                ccrypto_EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, $0.baseAddress) == 1
            }
            var finalLen: Int32 = 0
            var tail = [UInt8](repeating: 0, count: 32)
            ok = ok && ccrypto_EVP_DecryptFinal_ex(ctx, &tail, &finalLen) > 0
            guard ok else { throw CloakError(.decrypt, "message authentication failed") }
        }
    }

    /// The EVP path, for tests that compare it with the hardware path.
    static func evpSealForTests(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], plaintext: UnsafeRawBufferPointer
    ) throws(CloakError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        try evpSeal(key: key, iv: iv, aad: aad, plaintext: plaintext)
    }

    /// The EVP path, for tests that compare it with the hardware path.
    static func evpOpenForTests(
        key: SecretBytes, iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) throws(CloakError) -> SecretBytes {
        try evpOpen(key: key, iv: iv, aad: aad, ciphertext: ciphertext, tag: tag)
    }

    /// Fresh random IV.
    static func randomIV() -> [UInt8] { SecretBytes.randomPublic(count: ivSize) }
}
