public import Core

/// Wraps the data key with age (armored, one age file per recipient) and unwraps it with the given identities.
public struct AgeKeyService: SopsKeyService {
    /// Identities tried in order when decrypting.
    public let identities: [AgeIdentity]

    /// A service with these identities (none is fine for encryption only).
    public init(identities: [AgeIdentity]) { self.identities = identities }

    public var keyType: String { "age" }

    public func decrypt(entry: SopsKeyEntry) throws(CloakError) -> SecretBytes {
        guard !identities.isEmpty else {
            throw CloakError(.decrypt, "no age identity available")
        }
        let enc = entry.encryptedKey
        guard !enc.isEmpty else { throw CloakError(.decrypt, "age entry has no enc") }
        do {
            return try Age.decrypt(Array(enc.utf8), identities: identities)
        } catch {
            throw CloakError(.decrypt, "no age identity matched (\(error.message))")
        }
    }

    public func encrypt(dataKey: SecretBytes, for entry: SopsKeyEntry) throws(CloakError) -> SopsKeyEntry {
        let text = entry.fields["recipient"] ?? ""
        let recipient = try AgeRecipient(parsing: text.trimmingSpaces())
        let armored = try Age.encrypt(dataKey, to: [recipient], armor: true)
        var out = entry
        out.fields["recipient"] = text
        out.encryptedKey = String(decoding: armored, as: UTF8.self)
        return out
    }
}

extension String {
    /// Without leading/trailing spaces, tabs, CR and LF.
    func trimmingSpaces() -> String {
        let ws: Set<Character> = [" ", "\t", "\n", "\r"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s.removeFirst() }
        while let l = s.last, ws.contains(l) { s.removeLast() }
        return String(s)
    }
}
