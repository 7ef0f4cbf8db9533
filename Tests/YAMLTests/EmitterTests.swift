import Testing
import YAML

@Suite struct EmitterTests {
    static let sops = EmitOptions(indent: 4)

    @Test func trickyFixtureByteForByte() throws {
        let root = try YAMLLoader.loadSingle(Fixtures.trickyDecAsYAML, file: "tricky.dec-as-yaml.yaml")
        let text = YAMLEmitter.emit([root], options: Self.sops)
        #expect(text == Fixtures.trickyDecAsYAML)
    }

    /// What sops does with the JSON: strings stay strings, every number is a float64 written by Go's 'g'.
    @Test func trickyFromJSONSemantics() throws {
        func asSops(_ node: Node) -> Node {
            var node = node
            switch node.content {
            case .scalar:
                if !node.isStringScalar, let d = node.doubleValue { node = .float(d) }
            case .sequence(let items):
                node.content = .sequence(items.map(asSops))
            case .mapping(let pairs):
                node.content = .mapping(pairs.map { Node.Pair(key: $0.key, value: asSops($0.value)) })
            }
            return node
        }
        let json = try YAMLLoader.loadSingle(Fixtures.trickyPlainJSON, file: "tricky.plain.json")
        #expect(YAMLEmitter.emit([asSops(json)], options: Self.sops) == Fixtures.trickyDecAsYAML)
    }

    @Test(arguments: ["dec.yaml", "enc.yaml", "shamir-keygroups.enc.yaml", "multidoc.enc.yaml"])
    func sopsFilesRoundTripByteForByte(_ name: String) throws {
        let text =
            switch name {
            case "dec.yaml": Fixtures.decYAML
            case "enc.yaml": Fixtures.encYAML
            case "shamir-keygroups.enc.yaml": Fixtures.shamirEncYAML
            default: Fixtures.multidocEncYAML
            }
        let docs = try YAMLLoader.loadDocuments(text, file: name, options: LoadOptions(comments: true))
        #expect(YAMLEmitter.emit(documents: docs, options: Self.sops) == text)
    }

    @Test func layoutIndentTwoAndFour() {
        let node = Node.mapping([
            "key": .sequence([.plain("a"), .mapping(["k": .plain("v"), "l": .sequence([.plain("1")])])]),
            "nested": .mapping(["deep": .mapping(["x": .string("y")])]),
            "seqseq": .sequence([.sequence([.plain("1"), .plain("2")]), .sequence([])]),
            "empty": .mapping([]),
        ])
        #expect(
            YAMLEmitter.emit([node]) == """
                key:
                  - a
                  - k: v
                    l:
                      - 1
                nested:
                  deep:
                    x: "y"
                seqseq:
                  - - 1
                    - 2
                  - []
                empty: {}

                """)
        #expect(
            YAMLEmitter.emit([node], options: Self.sops) == """
                key:
                    - a
                    - k: v
                      l:
                        - 1
                nested:
                    deep:
                        x: "y"
                seqseq:
                    - - 1
                      - 2
                    - []
                empty: {}

                """)
    }

    @Test func rootsAndDocuments() {
        #expect(YAMLEmitter.emit([.null, .plain("x"), .sequence([]), .mapping([])]) == "null\n---\nx\n---\n[]\n---\n{}\n")
        #expect(YAMLEmitter.emit([.sequence([.plain("a")]), .string("l1\nl2")]) == "- a\n---\n|-\n  l1\n  l2\n")
        #expect(YAMLEmitter.emit([]) == "")
    }

    @Test func tagsAreWritten() throws {
        let text = "a: !secret db/password\nb: !!str 123\nc: !env [A, B]\nd: !x {}\ne: !<tag:example.com,2000:t> v\n"
        let root = try YAMLLoader.loadSingle(text, file: "t")
        let out = YAMLEmitter.emit([root])
        #expect(out == "a: !secret db/password\nb: !!str 123\nc: !env\n  - A\n  - B\nd: !x {}\ne: !<tag:example.com,2000:t> v\n")
        #expect(try YAMLLoader.loadSingle(out, file: "o") == root)
    }

    struct QuoteCase: Sendable, CustomStringConvertible {
        let text: String
        let expected: String
        var description: String { "\(text) → \(expected)" }
        init(_ text: String, _ expected: String) {
            self.text = text
            self.expected = expected
        }
    }

    static let quoteCases: [QuoteCase] = [
        QuoteCase("plain", "plain"), QuoteCase("true", "\"true\""), QuoteCase("123", "\"123\""),
        QuoteCase("1.5", "\"1.5\""), QuoteCase("null", "\"null\""), QuoteCase("~", "\"~\""), QuoteCase("", "\"\""),
        QuoteCase("2024-01-02", "\"2024-01-02\""), QuoteCase("y", "\"y\""), QuoteCase("no", "\"no\""),
        QuoteCase("Off", "\"Off\""), QuoteCase("1:20", "\"1:20\""), QuoteCase("0x1F", "\"0x1F\""),
        QuoteCase(".inf", "\".inf\""), QuoteCase(" x", "' x'"), QuoteCase("x ", "'x '"), QuoteCase("- x", "'- x'"),
        QuoteCase("-x", "-x"), QuoteCase("a: b", "'a: b'"), QuoteCase("a:b", "a:b"), QuoteCase("a #b", "'a #b'"),
        QuoteCase("a#b", "a#b"), QuoteCase("#a", "'#a'"), QuoteCase("'a", "'''a'"), QuoteCase("it's", "it's"),
        QuoteCase("\"a", "'\"a'"), QuoteCase("{a", "'{a'"), QuoteCase("a{b}", "a{b}"), QuoteCase("? x", "'? x'"),
        QuoteCase("---", "'---'"), QuoteCase("a\tb", "\"a\\tb\""), QuoteCase("a\u{1}b", "\"a\\x01b\""),
        QuoteCase("é✓", "é✓"), QuoteCase("😀", "\"\\U0001F600\""), QuoteCase("a\u{85}b", "\"a\\Nb\""),
        QuoteCase("a\u{2028}b", "\"a\\Lb\""), QuoteCase("back\\slash", "back\\slash"), QuoteCase("ENC[AES256_GCM,data:x]", "ENC[AES256_GCM,data:x]"),
        QuoteCase("a\u{FEFF}", "\"a\\uFEFF\""), QuoteCase("<<", "<<"), QuoteCase("a\r\nb", "\"a\\r\\nb\""),
    ]

    @Test(arguments: quoteCases) func quoting(_ c: QuoteCase) throws {
        #expect(YAMLEmitter.quotedString(c.text) == c.expected)
        let emitted = YAMLEmitter.emit([.mapping(["k": .string(c.text)])])
        let back = try YAMLLoader.loadSingle(emitted, file: "q")
        #expect(back["k"]?.scalarValue == .string(c.text))
    }

    @Test func literalBlocks() throws {
        let node = Node.mapping([
            "a": .string("l1\nl2"), "b": .string("l1\nl2\n"), "c": .string("l1\n\n"), "d": .string("  lead\nx"),
            "e": .string("trail \nx"), "f": .string("\n"), "g": .sequence([.string("x\ny")]),
        ])
        let text = YAMLEmitter.emit([node])
        #expect(
            text == """
                a: |-
                  l1
                  l2
                b: |
                  l1
                  l2
                c: |+
                  l1

                d: |2-
                    lead
                  x
                e: "trail \\nx"
                f: |2+

                g:
                  - |-
                    x
                    y

                """)
        #expect(try YAMLLoader.loadSingle(text, file: "l") == node)
    }

    @Test func keysAreQuotedAndLongKeysAreComplex() throws {
        let long = String(repeating: "k", count: 130)
        let node = Node.mapping([
            Node.Pair(key: .string("true"), value: .plain("1")),
            Node.Pair(key: .plain("1"), value: .plain("2")),
            Node.Pair(key: .string("a\nb"), value: .plain("3")),
            Node.Pair(key: .string(long), value: .mapping(["x": .plain("y")])),
        ])
        let text = YAMLEmitter.emit([node])
        #expect(text.hasPrefix("\"true\": 1\n1: 2\n? |-\n  a\n  b\n: 3\n? kkk"))
        #expect(try YAMLLoader.loadSingle(text, file: "k") == node)
    }

    @Test func commentsWrittenBack() throws {
        let text = """
            # head
            a: 1 # after a
            b: #on b
                # inside
                c: x
                d: |- # block
                    t
                    u
            list:
                # first
                - one # one
                - k: v
            # foot

            """
        let docs = try YAMLLoader.loadDocuments(text, file: "c", options: LoadOptions(comments: true))
        #expect(YAMLEmitter.emit(documents: docs, options: Self.sops) == text)
        let stripped = YAMLEmitter.emit(documents: docs, options: EmitOptions(indent: 4, comments: false))
        #expect(!stripped.contains("#"))
    }

    @Test func emitScalarHelper() {
        #expect(YAMLEmitter.emitScalar(.string("yes")) == "\"yes\"")
        #expect(YAMLEmitter.emitScalar(.plain("42")) == "42")
        #expect(YAMLEmitter.emitScalar(.string("a\nb")) == "|-\n  a\n  b")
        #expect(YAMLEmitter.stringStyle(for: "a: b") == .singleQuoted)
        #expect(YAMLEmitter.stringStyle(for: "a\nb") == .literal)
        #expect(YAMLEmitter.stringStyle(for: "a\nb", isKey: true) == .doubleQuoted)
        #expect(YAMLEmitter.emitScalar(Node.float(1e-7)) == "1e-07")
    }

    @Test func commentsAfterACollectionsLastEntry() {
        var inner = Node.mapping(["k": .plain("1")])
        inner.comments.after = ["end of inner"]
        var list = Node.sequence([.plain("a")])
        list.comments.after = ["end of list"]
        var root = Node.mapping(["inner": inner, "list": list])
        root.comments.after = ["end"]
        #expect(
            YAMLEmitter.emit([root], options: Self.sops) == """
                inner:
                    k: 1
                    #end of inner
                list:
                    - a
                    #end of list
                #end

                """)
    }

    @Test func indentOutsideTwoToNineIsTwoAndBlockHintIsTheIndent() {
        let node = Node.mapping(["a": .mapping(["b": .plain("1")])])
        #expect(YAMLEmitter.emit([node], options: EmitOptions(indent: 10)) == "a:\n  b: 1\n")
        let hinted = Node.mapping(["l": .sequence([.string(" x\ny")])])
        #expect(YAMLEmitter.emit([hinted], options: Self.sops) == "l:\n    - |4-\n       x\n      y\n")
    }
}
