import CLibCrypto
public import Core

/// RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`) over OpenSSL, for signing service-account JWTs. The PEM private
/// key (PKCS#8 or PKCS#1) is read from guarded memory.
public enum RSASigner {
    /// Signs `message` with the PEM private key; a key that does not parse or is not RSA is a one-line error.
    public static func signRS256(pemPrivateKey: SecretBytes, message: [UInt8]) throws(CloakError) -> [UInt8] {
        let pkey = pemPrivateKey.withUnsafeBytes { (buf) -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let pkey else {
            ERR_clear_error()
            throw CloakError(.config, "the private key is not a PEM private key")
        }
        defer { EVP_PKEY_free(pkey) }
        guard EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA else {
            throw CloakError(.config, "the private key is not an RSA key")
        }
        guard let ctx = EVP_MD_CTX_new() else { throw CloakError(.internal, "RS256: no digest context") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, pkey) == 1 else {
            ERR_clear_error()
            throw CloakError(.internal, "RS256: cannot initialise signing")
        }
        var length = 0
        guard EVP_DigestSign(ctx, nil, &length, message, message.count) == 1 else {
            ERR_clear_error()
            throw CloakError(.internal, "RS256: signing failed")
        }
        var sig = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(ctx, &sig, &length, message, message.count) == 1 else {
            ERR_clear_error()
            throw CloakError(.internal, "RS256: signing failed")
        }
        return Array(sig.prefix(length))
    }
}
