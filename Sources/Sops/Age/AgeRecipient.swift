public import Core

/// An age X25519 recipient (public key), written `age1…`.
public struct AgeRecipient: Sendable, Hashable, CustomStringConvertible {
    /// The 32-byte X25519 public key.
    let publicKey: [UInt8]

    init(publicKey: [UInt8]) {
        precondition(publicKey.count == 32)
        self.publicKey = publicKey
    }

    /// Parses an `age1…` recipient. Rejects mixed case, a bad checksum, a wrong HRP or length, and names the
    /// recipient types cloak does not implement (post-quantum hybrid, plugins, SSH keys).
    public init(parsing text: String) throws(CloakError) {
        if let kind = AgeRecipient.unsupportedKind(text) {
            throw CloakError.age(
                .unsupported,
                " recipient type \(kind); cloak supports X25519 (age1…) recipients",
                code: .config
            )
        }
        // Recipients are public keys, so naming the one at fault is safe (and needed with several).
        let shown = text.count > 80 ? String(text.prefix(80)) + "…" : text
        var data: [UInt8] = []
        let hrp: String
        do {
            hrp = try Array(text.utf8).withUnsafeBytes { buf throws(Bech32.Failure) in
                try Bech32.decode(buf, into: &data)
            }
        } catch {
            throw CloakError.ageKey("invalid recipient \"\(shown)\": \(error)")
        }
        guard hrp == "age" else { throw CloakError.ageKey("invalid recipient \"\(shown)\": expected the prefix 'age1'") }
        guard data.count == 32 else { throw CloakError.ageKey("invalid recipient \"\(shown)\": wrong key length") }
        self.init(publicKey: data)
    }

    /// The canonical `age1…` form.
    public var string: String {
        let hrp = Array("age".utf8)
        let count = Bech32.encodedCount(hrpCount: hrp.count, dataCount: 32)
        return String(unsafeUninitializedCapacity: count) { out in
            publicKey.withUnsafeBytes { key in
                Bech32.encode(hrp: hrp, data: key, uppercase: false, into: UnsafeMutableRawBufferPointer(out))
            }
            return count
        }
    }

    /// Same as `string`.
    public var description: String { string }

    // The quoted stanza type (or family) of recipient strings we recognise but do not implement.
    private static func unsupportedKind(_ text: String) -> String? {
        if text.hasPrefix("ssh-ed25519 ") || text.hasPrefix("ssh-rsa ") {
            return "'\(text.prefix { $0 != " " })' (SSH key)"
        }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("age1") else { return nil }
        let rest = lowered.dropFirst(4)
        guard let separator = rest.lastIndex(of: "1") else { return nil }
        let name = rest[..<separator]
        if name.isEmpty { return nil }
        switch name {
        case "pq": return "'mlkem768x25519' (post-quantum hybrid)"
        case "tag": return "'p256tag' (hardware tag)"
        case "tagpq": return "'mlkem768p256tag' (hardware tag)"
        default: return "'\(name)' (age plugin)"
        }
    }
}
