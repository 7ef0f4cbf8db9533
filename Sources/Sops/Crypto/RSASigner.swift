import CCrypto
public import Core

/// RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`) over OpenSSL, for signing service-account JWTs. The PEM private
/// key (PKCS#8 or PKCS#1) is read from guarded memory.
public enum RSASigner {
    /// Signs `message` with the PEM private key; a key that does not parse or is not RSA is a one-line error.
    public static func signRS256(pemPrivateKey: SecretBytes, message: [UInt8]) throws(CloakError) -> [UInt8] {
        try LibCrypto.load()
        let pkey = pemPrivateKey.withUnsafeBytes { (buf) -> OpaquePointer? in
            guard let bio = ccrypto_BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { return nil }
            defer { ccrypto_BIO_free(bio) }
            return ccrypto_PEM_read_bio_PrivateKey(bio)
        }
        guard let pkey else {
            ccrypto_ERR_clear_error()
            throw CloakError(.config, "the private key is not a PEM private key")
        }
        defer { ccrypto_EVP_PKEY_free(pkey) }
        guard ccrypto_EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA else {
            throw CloakError(.config, "the private key is not an RSA key")
        }
        guard let ctx = ccrypto_EVP_MD_CTX_new() else { throw CloakError(.internal, "RS256: no digest context") }
        defer { ccrypto_EVP_MD_CTX_free(ctx) }
        guard ccrypto_EVP_DigestSignInit(ctx, ccrypto_EVP_sha256(), pkey) == 1 else {
            ccrypto_ERR_clear_error()
            throw CloakError(.internal, "RS256: cannot initialise signing")
        }
        var length = 0
        guard ccrypto_EVP_DigestSign(ctx, nil, &length, message, message.count) == 1 else {
            ccrypto_ERR_clear_error()
            throw CloakError(.internal, "RS256: signing failed")
        }
        var sig = [UInt8](repeating: 0, count: length)
        guard ccrypto_EVP_DigestSign(ctx, &sig, &length, message, message.count) == 1 else {
            ccrypto_ERR_clear_error()
            throw CloakError(.internal, "RS256: signing failed")
        }
        return Array(sig.prefix(length))
    }
}
