import Core
import Testing
import YAML

@Suite struct LoaderTests {
    @Test func mappingWithLocationsAndOrder() throws {
        let root = try YAMLLoader.loadSingle("b: 1\na:\n  c: [x, 'y']\n", file: "f.yaml")
        #expect(root.keys == ["b", "a"])
        #expect(root.location == SourceLocation(file: "f.yaml", line: 1, column: 1))
        #expect(root["b"]?.location == SourceLocation(file: "f.yaml", line: 1, column: 4))
        let c = try #require(root["a"]?["c"])
        #expect(c.location == SourceLocation(file: "f.yaml", line: 3, column: 6))
        #expect(c.items?.count == 2)
        #expect(c.items?[1].location == SourceLocation(file: "f.yaml", line: 3, column: 10))
        guard case .scalar("y", .singleQuoted) = c.items?[1].content else {
            Issue.record("expected single-quoted y")
            return
        }
    }

    @Test func tagsKept() throws {
        let root = try YAMLLoader.loadSingle(
            "a: !secret db/password\nb: !!str 123\nc: \"q\"\nd: !include x.yaml\ne: ! 5\nf: !env [A, B]\n", file: "t")
        #expect(root["a"]?.tag == "!secret")
        #expect(root["a"]?.scalarText == "db/password")
        #expect(root["b"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["c"]?.tag == nil)
        #expect(root["d"]?.tag == "!include")
        #expect(root["e"]?.tag == nil)
        #expect(root["f"]?.tag == "!env")
        #expect(root["f"]?.items?.count == 2)
    }

    @Test func documents() throws {
        let docs = try YAMLLoader.load("a: 1\n---\nb: 2\n---\n", file: "m")
        #expect(docs.count == 3)
        #expect(docs[2].isNull)
        #expect(try YAMLLoader.load("", file: "e").isEmpty)
        #expect(try YAMLLoader.loadSingle("", file: "e").isNull)
        #expect(try YAMLLoader.loadSingle("# only a comment\n", file: "e").isNull)
        #expect(throws: CloakError.self) { try YAMLLoader.loadSingle("a: 1\n---\nb: 2\n", file: "m") }
    }

    @Test func aliasesExpand() throws {
        let root = try YAMLLoader.loadSingle("base: &b {x: 1, y: [a, b]}\ncopy: *b\n", file: "a")
        #expect(root["copy"] == root["base"])
        #expect(root["copy"]?["y"]?.items?.count == 2)
    }

    @Test func unknownAliasFails() {
        let error = #expect(throws: CloakError.self) { try YAMLLoader.loadSingle("a: *nope\n", file: "u.yaml") }
        #expect(error?.message.contains("unknown anchor") == true)
        #expect(error?.location == SourceLocation(file: "u.yaml", line: 1, column: 4))
    }

    @Test func aliasBombIsStopped() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        let error = #expect(throws: CloakError.self) { try YAMLLoader.loadSingle(text, file: "bomb.yaml") }
        #expect(error?.code == .config)
        #expect(error?.message.contains("alias") == true)
    }

    @Test func mergeKeys() throws {
        let text = """
            base: &base {a: 1, b: 2}
            other: &other {b: 3, c: 4}
            one:
              <<: *base
              b: 9
            many:
              x: 0
              <<: [*base, *other]
            """
        let root = try YAMLLoader.loadSingle(text, file: "m")
        let one = try #require(root["one"])
        #expect(one.keys == ["a", "b"])
        #expect(one["b"]?.scalarText == "9")
        let many = try #require(root["many"])
        #expect(many.keys == ["x", "a", "b", "c"])
        #expect(many["b"]?.scalarText == "2")
        #expect(many["c"]?.scalarText == "4")

        let off = try YAMLLoader.loadSingle(text, file: "m", options: LoadOptions(mergeKeys: false))
        #expect(off["one"]?.keys == ["<<", "b"])
        #expect(try YAMLLoader.loadSingle("a:\n  '<<': {x: 1}\n", file: "q")["a"]?.keys == ["<<"])
    }

    @Test func badMergeValueFails() {
        let error = #expect(throws: CloakError.self) { try YAMLLoader.loadSingle("a:\n  <<: 5\n", file: "m") }
        #expect(error?.message.contains("merge") == true)
    }

    @Test func duplicateKeys() throws {
        let error = #expect(throws: CloakError.self) {
            try YAMLLoader.loadSingle("a: 1\nb:\n  c: 1\n  c: 2\n", file: "d.yaml")
        }
        #expect(error?.message.hasPrefix("mapping key \"c\" already defined at line 3") == true)
        #expect(error?.location == SourceLocation(file: "d.yaml", line: 4, column: 3))
        // Large mappings use a hashed index.
        var big = ""
        for i in 0..<40 { big += "k\(i): \(i)\n" }
        #expect(throws: CloakError.self) { try YAMLLoader.loadSingle(big + "k7: again\n", file: "d") }
        #expect(try YAMLLoader.loadSingle(big, file: "d").keys.count == 40)
        let allowed = try YAMLLoader.loadSingle(
            "a: 1\na: 2\n", file: "d", options: LoadOptions(rejectDuplicateKeys: false))
        #expect(allowed["a"]?.scalarText == "2")
    }

    @Test func syntaxErrorIsLocated() {
        let error = #expect(throws: CloakError.self) { try YAMLLoader.loadSingle("a: 1\n b: 2\n", file: "s.yaml") }
        #expect(error?.code == .config)
        #expect(error?.message.hasPrefix("invalid YAML: ") == true)
        #expect(error?.location?.line == 2)
        let unclosed = #expect(throws: CloakError.self) { try YAMLLoader.loadSingle("a: [1, 2\n", file: "s.yaml") }
        #expect(unclosed?.message.contains("while parsing a flow sequence") == true)
    }

    @Test func invalidUTF8FailsCleanly() throws {
        let bytes: [UInt8] = Array("a: ok\nb: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let error = #expect(throws: CloakError.self) { try YAMLLoader.load(bytes: bytes, file: "bad.yaml") }
        #expect(error?.code == .config)
        #expect(error?.message.contains("UTF-8") == true)
        #expect(error?.location?.line == 2)
        #expect(try YAMLLoader.load(bytes: Array("a: é\n".utf8), file: "ok")[0]["a"]?.scalarText == "é")
    }

    @Test func jsonLoads() throws {
        let root = try YAMLLoader.loadSingle(Fixtures.trickyPlainJSON, file: "tricky.json")
        #expect(root.keys.count == 44)
        #expect(root["s_ctrl"]?.scalarText == "a\u{1}b")
        #expect(root["s_uni"]?.scalarText == "é✓")
        #expect(root["n_big"]?.scalarValue == .float(1e21))
        #expect(root["nested"]?.items?[1]["k"]?.scalarText == "v")
    }

    @Test func blockScalars() throws {
        let root = try YAMLLoader.loadSingle("a: |\n  l1\n  l2\nb: >-\n  f1\n  f2\nc: |+\n  x\n\nd: 1\n", file: "b")
        #expect(root["a"]?.scalarText == "l1\nl2\n")
        #expect(root["b"]?.scalarText == "f1 f2")
        #expect(root["c"]?.scalarText == "x\n\n")
    }
}
