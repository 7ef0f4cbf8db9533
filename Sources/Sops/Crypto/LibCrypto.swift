import CCrypto
public import Core

/// The shared libcrypto behind `CCrypto`, loaded on the first call that needs OpenSSL's EVP, BN or PEM layer.
public enum LibCrypto {
    /// Loads libcrypto.so.3 once; every `ccrypto_` call must come after this returned.
    public static func load() throws(CloakError) {
        if let message = ccrypto_load() { throw CloakError(.config, String(cString: message)) }
    }
}
