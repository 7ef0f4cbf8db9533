import Core
import Testing
@testable import Sops

@Suite struct FlatStoreTests {
    @Test(arguments: [("enc.json", "dec.json"), ("enc.env", "dec.env"), ("enc.ini", "dec.ini"),
                      ("enc.bin", "plain.bin"), ("ini-default-section.enc.ini", "ini-default-section.plain.ini")])
    func decryptsSampleToWhatSopsPrinted(enc: String, dec: String) throws {
        let f = try Fixture.decrypt(enc)
        let out = try f.plaintext()
        if dec == "ini-default-section.plain.ini" {
            // sops re-emits INI in go-ini's layout; compare values rather than bytes.
            #expect(out.text.contains("multi = \"\"\"a\nb\"\"\""))
            #expect(out.text.contains("; hash comment\n[s]"))
            #expect(out.text.hasPrefix("top = 1\n"))
        } else {
            #expect(out.text == (try Fixture.text(dec)))
        }
    }

    @Test(arguments: ["enc.json", "enc.env", "enc.ini", "enc.bin", "ini-default-section.enc.ini", "tricky.enc.json"])
    func reencryptingUnchangedFileIsByteIdentical(name: String) throws {
        let f = try Fixture.decrypt(name)
        let again = try f.encrypted(now: Fixture.lastModified(f))
        #expect(again.text == (try Fixture.text(name)))
    }

    @Test func trickyJSONDecryptsToPlainJSONValues() throws {
        let f = try Fixture.decrypt("tricky.enc.json")
        let v = f.value(at: [.key("s_ctrl")])
        guard case .leaf(let l)? = v else { Issue.record("missing"); return }
        #expect(l.bytes.isEqual(to: Array("a\u{01}b".utf8)))
        guard case .leaf(let n)? = f.value(at: [.key("n_int")]) else { Issue.record("missing"); return }
        #expect(n.type == .float)
        #expect(n.bytes.isEqual(to: Array("42".utf8)))
    }
}
