import CSodium

/// HMAC-SHA256 (libsodium `crypto_auth_hmacsha256_*`, which takes keys of any length).
public enum HMACSHA256 {
    /// The MAC of `message` under `key`.
    public static func mac(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        let zero: StaticString = ""
        let keyPtr = key.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? zero.utf8Start
        _ = crypto_auth_hmacsha256_init(&state, keyPtr, key.count)
        _ = crypto_auth_hmacsha256_update(
            &state, message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count))
        out.withUnsafeMutableBufferPointer { o in _ = crypto_auth_hmacsha256_final(&state, o.baseAddress!) }
        sodium_memzero(&state, MemoryLayout<crypto_auth_hmacsha256_state>.size)
        return out
    }

    /// The MAC of `message` under `key`, both plain bytes.
    public static func mac(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
        key.withUnsafeBytes { k in Array(message).withUnsafeBytes { m in mac(key: k, message: m) } }
    }

    /// The MAC of `message` under a secret key, returned as a secret (for derived signing keys).
    public static func secretMAC(key: SecretBytes, message: some Collection<UInt8>) -> SecretBytes {
        let msg = Array(message)
        return SecretBytes(count: Int(crypto_auth_hmacsha256_BYTES)) { out in
            var mac = key.withUnsafeBytes { k in msg.withUnsafeBytes { m in HMACSHA256.mac(key: k, message: m) } }
            mac.withUnsafeMutableBytes { m in
                out.copyMemory(from: UnsafeRawBufferPointer(m))
                sodium_memzero(m.baseAddress, m.count)
            }
        }
    }
}
