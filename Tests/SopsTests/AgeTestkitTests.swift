import Core
import Testing

@testable import Sops

/// Every C2SP/CCTV age testkit vector (Fixtures/age-testkit), one test case each.
@Suite struct AgeTestkitTests {
    static let vectorNames = AgeFixtures.list("age-testkit")

    // Failure classes a testkit `expect:` value accepts (a too-large scrypt work factor is a header failure there).
    static func accepted(_ expect: String) -> Set<AgeFailure> {
        switch expect {
        case "no match": [.noMatch, .passphrase]
        case "HMAC failure": [.badMAC]
        case "header failure": [.header, .workFactor]
        case "payload failure": [.payload]
        case "armor failure": [.armor]
        default: []
        }
    }

    @Test func allVectorsAreLoaded() {
        #expect(Self.vectorNames.count == 143)
    }

    @Test(arguments: vectorNames)
    func vector(_ name: String) throws {
        let bytes = try #require(AgeFixtures.read(AgeFixtures.path("age-testkit/\(name)")))
        let vector = try #require(AgeTestVector(bytes), "unparseable vector")
        #expect(vector.armored == AgeArmor.looksArmored(vector.body) || vector.expect == "armor failure")

        // Post-quantum hybrid: the identity is rejected with a clear unsupported-type error, and an X25519 identity
        // cannot open a hybrid-only file either.
        if name.hasPrefix("hybrid") || name == "armor_hybrid" {
            for text in vector.identities where text.hasPrefix("AGE-SECRET-KEY-PQ-") {
                let error = #expect(throws: CloakError.self) { try AgeIdentity(parsing: AgeFixtures.secret(text)) }
                #expect(error.map { AgeFailure.of($0) } == .unsupported)
                #expect(error?.message.contains("'mlkem768x25519'") == true)
            }
            // Decrypting with X25519 identities (a fresh one plus any X25519 identity the vector lists) must fail:
            // with the unsupported-type error when only hybrid stanzas are present, else as "no match" or the
            // vector's own header failure.
            let x25519 = try vector.identities.filter { !$0.hasPrefix("AGE-SECRET-KEY-PQ-") }
                .map { try AgeIdentity(parsing: AgeFixtures.secret($0)) }
            let error = #expect(throws: CloakError.self) {
                try Age.decrypt(vector.body, identities: [AgeIdentity.generate()] + x25519)
            }
            let failure = error.flatMap { AgeFailure.of($0) }
            var allowed: Set<AgeFailure> = [.unsupported, .noMatch]
            if vector.expect == "header failure" { allowed.insert(.header) }
            #expect(failure.map(allowed.contains) == true, "got: \(String(describing: error))")
            if let stanzaTypes = try? AgeHeader.parse(
                vector.armored ? AgeArmor.decode(vector.body) : vector.body
            ).header.stanzas.map(\.type), stanzaTypes.allSatisfy({ $0 == "mlkem768x25519" }) {
                #expect(failure == .unsupported)
                #expect(error?.message.contains("unsupported recipient type 'mlkem768x25519'") == true)
            }
            return
        }

        let identities = try vector.identities.map { try AgeIdentity(parsing: AgeFixtures.secret($0)) }
        var outcomes: [Result<SecretBytes, CloakError>] = []
        if !identities.isEmpty || vector.passphrases.isEmpty {
            outcomes.append(Result { () throws(CloakError) in try Age.decrypt(vector.body, identities: identities) })
        }
        for passphrase in vector.passphrases {
            outcomes.append(
                Result { () throws(CloakError) in
                    try Age.decrypt(vector.body, passphrase: AgeFixtures.secret(passphrase))
                }
            )
        }

        if vector.expect == "success" {
            let plaintext = try #require(
                outcomes.compactMap { try? $0.get() }.first,
                "no way of decrypting succeeded: \(outcomes.map { (try? $0.get()) == nil ? "\($0)" : "ok" })"
            )
            #expect(AgeFixtures.sha256Hex(plaintext) == vector.payload)
        } else {
            let accepted = Self.accepted(vector.expect)
            #expect(!accepted.isEmpty, "unknown expectation \(vector.expect)")
            for outcome in outcomes {
                switch outcome {
                case .success: Issue.record("decrypted, but expected \(vector.expect)")
                case .failure(let error):
                    let failure = AgeFailure.of(error)
                    #expect(failure.map(accepted.contains) == true, "expected \(vector.expect), got: \(error)")
                }
            }
        }
    }
}
