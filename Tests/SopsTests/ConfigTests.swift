import Core
import Glibc
import Testing
@testable import Sops

@Suite struct ConfigTests {
    private func setUp() throws -> String {
        let dir = makeTempDir()
        writeFile(dir + "/.sops.yaml", try Fixture.text("sops-config-example.sops.yaml"))
        mkdir(dir + "/secrets", 0o755)
        mkdir(dir + "/secrets/sub", 0o755)
        return dir
    }

    @Test func keyGroupRuleCreatesShamirFile() throws {
        let dir = try setUp()
        let path = dir + "/secrets/kg.yaml"
        let rule = try SopsConfig.creationRule(for: path)
        #expect(rule.keyGroups.count == 2 && rule.shamirThreshold == 2)
        try SopsFile.update(path: path, services: try Fixture.services(), newFileRule: { rule }) { (f) throws(CloakError) in
            try f.set(.json("\"v\""), at: [.key("a")])
        }
        let f = try SopsFile.decrypt(path: path, services: try Fixture.services(["key.txt", "key2.txt"]))
        #expect(f.metadata.shamirThreshold == 2)
        #expect(f.topLevelKeys == ["a"])
        #expect(throws: CloakError.self) { try SopsFile.decrypt(path: path, services: try Fixture.services()) }
    }

    @Test func firstMatchingRuleWinsAndCarriesCryptRules() throws {
        let dir = try setUp()
        let sub = try SopsConfig.creationRule(for: dir + "/secrets/sub/x.yaml")
        #expect(sub.rules.encryptedRegex == "^(data|stringData)$")
        #expect(sub.keyGroups.count == 1 && sub.keyGroups[0].entries.count == 2)
        let json = try SopsConfig.creationRule(for: dir + "/x.json")
        #expect(json.rules.macOnlyEncrypted && json.rules.unencryptedRegex == "^public")
        let enc = try SopsFile.encrypt(plaintext: Array("{\"public_a\": \"p\", \"b\": \"s\"}".utf8), file: "x.json",
                                       format: .json, rule: json, services: try Fixture.services())
        #expect(enc.text.contains("\"public_a\": \"p\""))
        #expect(enc.text.contains("\"mac_only_encrypted\": true"))
        let f = try SopsFile.decrypt(enc, file: "x.json", format: .json, services: try Fixture.services())
        #expect(f.topLevelKeys == ["public_a", "b"])
    }

    @Test func explicitRecipientsWinAndNoMatchIsAClearError() throws {
        let dir = try setUp()
        let r = try SopsConfig.creationRule(for: dir + "/other.txt", ageRecipients: ["age1x, age1y"])
        #expect(r.keyGroups[0].entries.map { $0.fields["recipient"] } == ["age1x", "age1y"])
        do throws(CloakError) {
            _ = try SopsConfig.creationRule(for: dir + "/other.txt")
            Issue.record("matched")
        } catch {
            #expect(error.message.hasPrefix("failed to resolve SOPS recipients (set spec.age_recipients or add a matching .sops.yaml creation rule)"))
        }
    }
}
