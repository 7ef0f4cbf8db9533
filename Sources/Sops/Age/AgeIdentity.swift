public import Core

/// An age X25519 identity (secret key), written `AGE-SECRET-KEY-1…`. The scalar lives in `SecretBytes`; the type
/// never prints it.
public struct AgeIdentity: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The 32-byte X25519 scalar.
    let scalar: SecretBytes
    /// The matching public key.
    public let recipient: AgeRecipient

    init(scalar: SecretBytes) {
        precondition(scalar.count == 32)
        self.scalar = scalar
        self.recipient = AgeRecipient(publicKey: scalar.withUnsafeBytes { AgePrimitives.x25519Base(scalar: $0) })
    }

    /// Parses `AGE-SECRET-KEY-1…` (upper case, no surrounding whitespace) without copying the key into a `String`.
    public init(parsing text: SecretBytes) throws(CloakError) {
        if let kind = text.withUnsafeBytes({ AgeIdentity.unsupportedKind($0) }) {
            throw CloakError.age(
                .unsupported,
                " identity type \(kind); cloak supports X25519 (AGE-SECRET-KEY-1…) identities",
                code: .config
            )
        }
        var data: [UInt8] = []
        defer { AgePrimitives.wipe(&data) }
        let hrp: String
        do {
            hrp = try text.withUnsafeBytes { buf throws(Bech32.Failure) in try Bech32.decode(buf, into: &data) }
        } catch {
            throw CloakError.ageKey("invalid identity: \(error)")
        }
        guard hrp == "AGE-SECRET-KEY-" else {
            throw CloakError.ageKey("invalid identity: expected the upper-case prefix 'AGE-SECRET-KEY-1'")
        }
        guard data.count == 32 else { throw CloakError.ageKey("invalid identity: wrong key length") }
        self.init(scalar: SecretBytes(consuming: &data))
    }

    /// A fresh random identity.
    public static func generate() -> AgeIdentity {
        AgeIdentity(scalar: SecretBytes.random(count: 32))
    }

    /// The `AGE-SECRET-KEY-1…` form, upper case, in guarded memory.
    public func encoded() -> SecretBytes {
        let hrp = Array("AGE-SECRET-KEY-".utf8)
        return SecretBytes(count: Bech32.encodedCount(hrpCount: hrp.count, dataCount: 32)) { out in
            scalar.withUnsafeBytes { Bech32.encode(hrp: hrp, data: $0, uppercase: true, into: out) }
        }
    }

    /// Redacted: shows only the public key.
    public var description: String { "AgeIdentity(<redacted>, recipient: \(recipient))" }
    /// Redacted: shows only the public key.
    public var debugDescription: String { description }
    /// Empty, so `dump` and reflection never reach the scalar.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    // Identity prefixes we recognise but do not implement; the check reads only the prefix bytes.
    private static func unsupportedKind(_ text: UnsafeRawBufferPointer) -> String? {
        func starts(with prefix: String) -> Bool {
            let p = Array(prefix.utf8)
            return text.count >= p.count && zip(text, p).allSatisfy { $0 == $1 }
        }
        if starts(with: "AGE-SECRET-KEY-PQ-1") { return "'mlkem768x25519' (post-quantum hybrid)" }
        if starts(with: "AGE-PLUGIN-") { return "'age plugin'" }
        if starts(with: "-----BEGIN OPENSSH PRIVATE KEY-----") || starts(with: "-----BEGIN RSA PRIVATE KEY-----") {
            return "'SSH private key'"
        }
        return nil
    }
}
