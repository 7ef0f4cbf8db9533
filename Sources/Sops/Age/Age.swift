public import Core

/// In-process age (age-encryption.org/v1) encryption and decryption: X25519 and scrypt recipients, binary or
/// ASCII-armored files.
public enum Age {
    private static let fileKeyBytes = 16

    /// Encrypts `plaintext` to every recipient in one age file (one stanza each).
    public static func encrypt(_ plaintext: SecretBytes, to recipients: [AgeRecipient], armor: Bool) throws(CloakError)
        -> [UInt8]
    {
        guard !recipients.isEmpty else { throw CloakError(.usage, "age: no recipients to encrypt to") }
        let fileKey = SecretBytes.random(count: fileKeyBytes)
        var stanzas: [AgeStanza] = []
        for recipient in recipients { stanzas.append(try X25519Stanza.wrap(fileKey, to: recipient)) }
        return seal(plaintext, fileKey: fileKey, stanzas: stanzas, armor: armor)
    }

    /// Encrypts `plaintext` under a passphrase (one scrypt stanza) with work factor `workFactor` (log2 N).
    public static func encrypt(
        _ plaintext: SecretBytes,
        passphrase: SecretBytes,
        workFactor: Int = 18,
        armor: Bool
    ) throws(CloakError) -> [UInt8] {
        guard (1...30).contains(workFactor) else { throw CloakError(.usage, "age: scrypt work factor must be 1…30") }
        let fileKey = SecretBytes.random(count: fileKeyBytes)
        let stanza = try ScryptStanza.wrap(fileKey, passphrase: passphrase, logN: workFactor)
        return seal(plaintext, fileKey: fileKey, stanzas: [stanza], armor: armor)
    }

    /// Decrypts an age file (binary or armored, detected automatically) with the first identity that matches.
    public static func decrypt(_ file: [UInt8], identities: [AgeIdentity]) throws(CloakError) -> SecretBytes {
        let (binary, header, offset) = try parse(file)
        var fileKey: SecretBytes?
        search: for identity in identities {
            for stanza in header.stanzas where stanza.type == X25519Stanza.type {
                if let key = try X25519Stanza.unwrap(stanza, with: identity) {
                    fileKey = key
                    break search
                }
            }
        }
        guard let fileKey else { throw noMatch(header, identityCount: identities.count) }
        return try open(binary, header: header, payloadOffset: offset, fileKey: fileKey)
    }

    /// Decrypts a passphrase-encrypted (scrypt) age file, refusing work factors above `maxWorkFactor`.
    public static func decrypt(_ file: [UInt8], passphrase: SecretBytes, maxWorkFactor: Int = 22) throws(CloakError)
        -> SecretBytes
    {
        let (binary, header, offset) = try parse(file)
        guard let stanza = header.stanzas.first, stanza.type == ScryptStanza.type else {
            throw CloakError.age(.noMatch, " (the file is not passphrase-encrypted; it needs an identity)")
        }
        guard
            let fileKey = try ScryptStanza.unwrap(stanza, passphrase: passphrase, maxWorkFactor: min(maxWorkFactor, 40))
        else {
            throw CloakError.age(.passphrase)
        }
        return try open(binary, header: header, payloadOffset: offset, fileKey: fileKey)
    }

    /// Whether `file` is an age file (binary or armored), by its first bytes only.
    public static func looksLikeAgeFile(_ file: some Collection<UInt8>) -> Bool {
        let bytes = Array(file.prefix(2048))
        return bytes.starts(with: Array("age-encryption.org/".utf8)) || AgeArmor.looksArmored(bytes)
    }

    // MARK: - Steps

    private static func seal(_ plaintext: SecretBytes, fileKey: SecretBytes, stanzas: [AgeStanza], armor: Bool)
        -> [UInt8]
    {
        var header = AgeHeader(stanzas: stanzas)
        header.mac = AgePrimitives.withScratch(32) { macKey in
            AgeFileKeyWrap.deriveHeaderMACKey(fileKey, into: macKey)
            return AgePrimitives.hmacSHA256(key: UnsafeRawBufferPointer(macKey), message: header.bytesForMAC())
        }
        var out = header.encoded()
        let nonce = SecretBytes.randomPublic(count: AgeStream.nonceSize)
        out.append(contentsOf: nonce)
        AgePrimitives.withScratch(32) { payloadKey in
            AgeStream.payloadKey(fileKey: fileKey, nonce: nonce, into: payloadKey)
            AgeStream.seal(plaintext, key: UnsafeRawBufferPointer(payloadKey), appendingTo: &out)
        }
        return armor ? AgeArmor.encode(out) : out
    }

    private static func parse(_ file: [UInt8]) throws(CloakError) -> (
        binary: [UInt8], header: AgeHeader, payloadOffset: Int
    ) {
        let binary = AgeArmor.looksArmored(file) ? try AgeArmor.decode(file) : file
        let (header, offset) = try AgeHeader.parse(binary)
        // An scrypt stanza must stand alone: otherwise a passphrase could be swapped in for a recipient's key.
        if header.stanzas.count > 1 && header.stanzas.contains(where: { $0.type == ScryptStanza.type }) {
            throw CloakError.age(.header, ": an scrypt stanza must be the only stanza")
        }
        return (binary, header, offset)
    }

    private static func open(_ binary: [UInt8], header: AgeHeader, payloadOffset: Int, fileKey: SecretBytes)
        throws(CloakError) -> SecretBytes
    {
        let macOK = AgePrimitives.withScratch(32) { macKey in
            AgeFileKeyWrap.deriveHeaderMACKey(fileKey, into: macKey)
            return AgePrimitives.verifyHMACSHA256(
                key: UnsafeRawBufferPointer(macKey),
                message: header.bytesForMAC(),
                tag: header.mac
            )
        }
        guard macOK else { throw CloakError.age(.badMAC, " (the header was modified or the file is corrupt)") }
        guard binary.count - payloadOffset >= AgeStream.nonceSize else {
            throw CloakError.age(.header, ": missing payload nonce")
        }
        let nonce = binary[payloadOffset..<(payloadOffset + AgeStream.nonceSize)]
        return try AgePrimitives.withScratch(32) { payloadKey throws(CloakError) -> SecretBytes in
            AgeStream.payloadKey(fileKey: fileKey, nonce: nonce, into: payloadKey)
            return try AgeStream.open(
                binary[(payloadOffset + AgeStream.nonceSize)...],
                key: UnsafeRawBufferPointer(payloadKey)
            )
        }
    }

    // Known recipient types cloak does not implement; a file that only has these gets a clearer error.
    private static let unsupportedTypes: Set<String> = [
        "mlkem768x25519", "p256tag", "mlkem768p256tag", "ssh-ed25519", "ssh-rsa", "piv-p256", "yubikey",
    ]

    private static func noMatch(_ header: AgeHeader, identityCount: Int) -> CloakError {
        let types = header.stanzas.map(\.type)
        if !types.contains(X25519Stanza.type), let other = types.first(where: unsupportedTypes.contains) {
            return CloakError.age(
                .unsupported,
                " recipient type '\(other)': cloak decrypts only X25519 and scrypt age files"
            )
        }
        if types == [ScryptStanza.type] {
            return CloakError.age(.noMatch, " (the file is passphrase-encrypted)")
        }
        return CloakError.age(.noMatch, " (tried \(identityCount) identit\(identityCount == 1 ? "y" : "ies"))")
    }
}
