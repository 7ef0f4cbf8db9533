import Core
import Testing

@testable import Sops

@Suite struct AgeRoundTripTests {
    @Test(arguments: [0, 1, 65536, 65537, 200_000], [false, true])
    func x25519RoundTrip(size: Int, armor: Bool) throws {
        let alice = AgeIdentity.generate()
        let bob = AgeIdentity.generate()
        let plaintext = AgeFixtures.pattern(size)
        let file = try Age.encrypt(plaintext, to: [alice.recipient, bob.recipient], armor: armor)
        #expect(AgeArmor.looksArmored(file) == armor)
        for identity in [alice, bob] {
            let opened = try Age.decrypt(file, identities: [AgeIdentity.generate(), identity])
            #expect(opened.isEqual(to: plaintext))
        }
        let error = #expect(throws: CloakError.self) { try Age.decrypt(file, identities: [AgeIdentity.generate()]) }
        #expect(error.flatMap(AgeFailure.of) == .noMatch)
    }

    @Test func payloadSizeMatchesChunking() throws {
        let identity = AgeIdentity.generate()
        let header = try Age.encrypt(AgeFixtures.pattern(0), to: [identity.recipient], armor: false).count - 16 - 16
        for (size, chunks) in [(0, 1), (1, 1), (65536, 1), (65537, 2), (200_000, 4)] {
            let file = try Age.encrypt(AgeFixtures.pattern(size), to: [identity.recipient], armor: false)
            #expect(file.count == header + 16 + size + 16 * chunks)
        }
    }

    @Test(arguments: [false, true])
    func scryptRoundTrip(armor: Bool) throws {
        let plaintext = AgeFixtures.pattern(70000)
        let file = try Age.encrypt(plaintext, passphrase: AgeFixtures.secret("hunter2"), workFactor: 10, armor: armor)
        let opened = try Age.decrypt(file, passphrase: AgeFixtures.secret("hunter2"))
        #expect(opened.isEqual(to: plaintext))

        let wrong = #expect(throws: CloakError.self) {
            try Age.decrypt(file, passphrase: AgeFixtures.secret("hunter3"))
        }
        #expect(wrong.flatMap(AgeFailure.of) == .passphrase)
        let capped = #expect(throws: CloakError.self) {
            try Age.decrypt(file, passphrase: AgeFixtures.secret("hunter2"), maxWorkFactor: 9)
        }
        #expect(capped.flatMap(AgeFailure.of) == .workFactor)
        let withIdentity = #expect(throws: CloakError.self) {
            try Age.decrypt(file, identities: [AgeIdentity.generate()])
        }
        #expect(withIdentity.flatMap(AgeFailure.of) == .noMatch)
    }

    @Test func sopsSizedArmorHasTheDocumentedShape() throws {
        // SOPS wraps a 32-byte data key per recipient: 232 binary bytes, 312 base64 chars, 4×64 + 56 (A.9).
        let identity = AgeIdentity.generate()
        let file = try Age.encrypt(AgeFixtures.pattern(32), to: [identity.recipient], armor: true)
        let lines = String(decoding: file, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.map(\.count) == [34, 64, 64, 64, 64, 56, 32, 0])
        #expect(lines.first == "-----BEGIN AGE ENCRYPTED FILE-----")
        #expect(lines[6] == "-----END AGE ENCRYPTED FILE-----")
        #expect(lines[5].hasSuffix("=="))
    }

    @Test func tamperedFilesFailWithTheirOwnClass() throws {
        let identity = AgeIdentity.generate()
        var file = try Age.encrypt(AgeFixtures.pattern(100), to: [identity.recipient], armor: false)
        file[file.count - 1] ^= 1
        let payload = #expect(throws: CloakError.self) { try Age.decrypt(file, identities: [identity]) }
        #expect(payload.flatMap(AgeFailure.of) == .payload)

        let truncated = Array(file.dropLast(40))
        let short = #expect(throws: CloakError.self) { try Age.decrypt(truncated, identities: [identity]) }
        #expect(short.flatMap(AgeFailure.of) == .payload)

        let garbage = #expect(throws: CloakError.self) { try Age.decrypt(Array("hello".utf8), identities: [identity]) }
        #expect(garbage.flatMap(AgeFailure.of) == .header)
    }

    @Test func unsupportedRecipientTypesAreNamed() {
        let pq = #expect(throws: CloakError.self) {
            try AgeRecipient(parsing: "age1pq1" + String(repeating: "q", count: 60))
        }
        #expect(pq?.message.contains("unsupported recipient type 'mlkem768x25519'") == true)
        let plugin = #expect(throws: CloakError.self) { try AgeRecipient(parsing: "age1yubikey1qqqqqqqqqqqqqqqq") }
        #expect(plugin?.message.contains("'yubikey'") == true)
        let ssh = #expect(throws: CloakError.self) { try AgeRecipient(parsing: "ssh-ed25519 AAAAC3Nza test") }
        #expect(ssh?.message.contains("'ssh-ed25519'") == true)
    }
}

@Suite struct AgeKeyTests {
    @Test func generatedKeyPairRoundTripsThroughBech32() throws {
        let identity = AgeIdentity.generate()
        let encoded = identity.encoded()
        #expect(encoded.count == 74)
        let text = encoded.unsafeString()
        #expect(text.hasPrefix("AGE-SECRET-KEY-1"))
        #expect(text == text.uppercased())
        let reparsed = try AgeIdentity(parsing: encoded)
        #expect(reparsed.scalar.isEqual(to: identity.scalar))
        #expect(reparsed.recipient == identity.recipient)

        let recipient = identity.recipient.string
        #expect(recipient.count == 62 && recipient.hasPrefix("age1"))
        #expect(try AgeRecipient(parsing: recipient) == identity.recipient)
    }

    @Test func knownKeyFromAgeKeygen() throws {
        // Fixtures/sops-samples/key.txt was written by age-keygen 1.1.1.
        let identity = try AgeIdentity(
            parsing: AgeFixtures.secret("AGE-SECRET-KEY-1N4K4KMDLPS5P6D22WEQPLWYVTXTJW6X7UWDZ9Z7LW56NL275MNES44GS4F")
        )
        #expect(identity.recipient.string == "age194x8mrgapvnn4ag7umvm09d657zyzlyx8rg90yurhqh5ss3zjcws4tjuu4")
    }

    @Test(arguments: [
        "age194x8mrgapvnn4ag7umvm09d657zyzlyx8rg90yurhqh5ss3zjcws4tjuu5",  // bad checksum
        "age194x8mrgapvnn4ag7umvm09d657zyzlyx8rg90yurhqh5ss3zjcws4tjuU4",  // mixed case
        "AGE194X8MRGAPVNN4AG7UMVM09D657ZYZLYX8RG90YURHQH5SS3ZJCWS4TJUU4",  // upper-case recipient
        "age194x8mrgapvnn4ag7umvm09d657zyzlyx8rg90yurhqh5ss3zjcws4tjuu",  // truncated
        "agf194x8mrgapvnn4ag7umvm09d657zyzlyx8rg90yurhqh5ss3zjcws4tjuu4",  // wrong HRP
        "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",  // wrong length / checksum
        " age194x8mrgapvnn4ag7umvm09d657zyzlyx8rg90yurhqh5ss3zjcws4tjuu4",  // whitespace
        "",
    ])
    func badRecipientsAreRejected(_ text: String) {
        #expect(throws: CloakError.self) { try AgeRecipient(parsing: text) }
    }

    @Test func wrongLengthPayloadIsRejected() {
        // A valid Bech32 string under the right HRP but with 31 bytes of data.
        let hrp = Array("age".utf8)
        let data = [UInt8](repeating: 7, count: 31)
        var out = [UInt8](repeating: 0, count: Bech32.encodedCount(hrpCount: 3, dataCount: 31))
        out.withUnsafeMutableBytes { o in
            data.withUnsafeBytes { Bech32.encode(hrp: hrp, data: $0, uppercase: false, into: o) }
        }
        let error = #expect(throws: CloakError.self) { try AgeRecipient(parsing: String(decoding: out, as: UTF8.self)) }
        #expect(error?.message.contains("length") == true)
    }

    @Test func badIdentitiesAreRejected() throws {
        let good = AgeIdentity.generate().encoded().unsafeString()
        var flipped = Array(good.utf8)
        flipped[20] = flipped[20] == UInt8(ascii: "Q") ? UInt8(ascii: "P") : UInt8(ascii: "Q")
        let cases = [
            String(decoding: flipped, as: UTF8.self),  // bad checksum
            good.lowercased(),  // lower-case identity (Go age wants the upper-case HRP)
            String(good.prefix(40)) + good.dropFirst(40).lowercased(),  // mixed case
            good + "\n",
        ]
        for text in cases {
            let error = #expect(throws: CloakError.self) { try AgeIdentity(parsing: AgeFixtures.secret(text)) }
            #expect(error?.message.contains(String(good.dropFirst(16).prefix(10))) == false)
        }
    }

    @Test func identityNeverPrintsItsKey() {
        let identity = AgeIdentity.generate()
        let key = identity.encoded().unsafeString()
        let body = String(key.dropFirst(16).prefix(20))
        var dumped = ""
        dump(identity, to: &dumped)
        let renderings = [
            "\(identity)", String(describing: identity), String(reflecting: identity), dumped,
            "\([identity])", String(reflecting: [identity]), "\(Mirror(reflecting: identity).children.count)",
        ]
        for text in renderings {
            #expect(!text.contains(body))
            #expect(!text.uppercased().contains(body))
        }
        #expect(Mirror(reflecting: identity).children.isEmpty)
        #expect("\(identity)".contains(identity.recipient.string))
    }
}

@Suite struct AgeIdentityFileTests {
    @Test func parsesKeygenFormatWithSeveralIdentities() throws {
        let a = AgeIdentity.generate()
        let b = AgeIdentity.generate()
        let text =
            "# created: 2026-01-01T00:00:00Z\n# public key: \(a.recipient)\n\(a.encoded().unsafeString())\n\n"
            + "# second\r\n\(b.encoded().unsafeString())\r\n"
        let parsed = try AgeIdentityFile.parse(AgeFixtures.secret(text), source: "keys.txt")
        #expect(parsed.map(\.recipient) == [a.recipient, b.recipient])
    }

    @Test func errorsCiteSourceAndLine() {
        let text = "# comment\n\nAGE-SECRET-KEY-1NOTAKEY\n"
        let error = #expect(throws: CloakError.self) {
            try AgeIdentityFile.parse(AgeFixtures.secret(text), source: "keys.txt")
        }
        #expect(error?.description.hasPrefix("keys.txt:3: error: ") == true)
        #expect(error?.description.contains("NOTAKEY") == false)

        let pq = #expect(throws: CloakError.self) {
            try AgeIdentityFile.parse(AgeFixtures.secret("AGE-SECRET-KEY-PQ-1XYZ\n"), source: "pq.txt")
        }
        #expect(pq?.description.contains("pq.txt:1") == true)
        #expect(pq?.message.contains("'mlkem768x25519'") == true)
    }

    @Test func emptyFileHasNoIdentities() {
        let error = #expect(throws: CloakError.self) {
            try AgeIdentityFile.parse(AgeFixtures.secret("# only a comment\n\n"), source: "empty.txt")
        }
        #expect(error?.message.contains("no identities found in empty.txt") == true)
    }

    @Test func renderMatchesAgeKeygenAndParsesBack() throws {
        let identity = AgeIdentity.generate()
        let rendered = AgeIdentityFile.render(identity, created: "2026-11-22T03:17:04Z")
        let expected =
            "# created: 2026-11-22T03:17:04Z\n# public key: \(identity.recipient)\n"
            + "\(identity.encoded().unsafeString())\n"
        #expect(rendered.isEqual(to: Array(expected.utf8)))
        let parsed = try AgeIdentityFile.parse(rendered, source: "rendered")
        #expect(parsed.count == 1 && parsed[0].recipient == identity.recipient)
        #expect(!AgeIdentityFile.isEncrypted(rendered))
    }

    @Test func passphraseProtectedIdentityFileIsDetected() throws {
        let file = try Age.encrypt(
            AgeFixtures.secret("AGE-SECRET-KEY-1…\n"),
            passphrase: AgeFixtures.secret("pw"),
            workFactor: 4,
            armor: true
        )
        var copy = file
        #expect(AgeIdentityFile.isEncrypted(SecretBytes(consuming: &copy)))
    }
}

@Suite struct AgeArmorTests {
    @Test(arguments: [0, 1, 2, 3, 45, 46, 47, 48, 49, 96])
    func linesAreExactly64ColumnsAndEndLineFollowsDirectly(binarySize: Int) throws {
        let binary = (0..<binarySize).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let armored = AgeArmor.encode(binary)
        let text = String(decoding: armored, as: UTF8.self)
        #expect(text.hasSuffix("-----END AGE ENCRYPTED FILE-----\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast(2)
        #expect(lines.allSatisfy { !$0.isEmpty && $0.count <= 64 })
        #expect(lines.dropLast().allSatisfy { $0.count == 64 })
        // 48 binary bytes are exactly one 64-column line: no empty line before END.
        if binarySize == 48 { #expect(lines.count == 1) }
        #expect(try AgeArmor.decode(armored) == binary)
    }

    @Test func readerIsStrict() {
        let good = String(decoding: AgeArmor.encode(Array(repeating: 1, count: 100)), as: UTF8.self)
        let bad = [
            good.replacingOccurrences("-----END AGE ENCRYPTED FILE-----\n", "-----END AGE ENCRYPTED FILE-----\nx"),
            good.replacingOccurrences("-----BEGIN AGE ENCRYPTED FILE-----\n", "-----BEGIN AGE ENCRYPTED FILE-----\n\n"),
            good.replacingOccurrences("-----END AGE ENCRYPTED FILE-----\n", ""),
            good.replacingOccurrences("=\n", "\n"),
        ]
        for text in bad {
            let error = #expect(throws: CloakError.self) { try AgeArmor.decode(Array(text.utf8)) }
            #expect(error.flatMap(AgeFailure.of) == .armor)
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
