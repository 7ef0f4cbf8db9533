import Testing
import YAML

@Suite struct CommentTests {
    static let options = LoadOptions(comments: true)

    @Test func plainFixtureComments() throws {
        let docs = try YAMLLoader.loadDocuments(Fixtures.plainYAML, file: "plain.yaml", options: Self.options)
        let root = try #require(docs.first?.root)
        let app = try #require(root.pairs?.first)
        #expect(app.key.comments.before == [" top comment"])
        #expect(root["app"]?["name"]?.comments.trailing == " inline comment")
        #expect(root["app"]?["port"]?.comments.isEmpty == true)
        #expect(docs.first?.footComments == [])
    }

    @Test func placement() throws {
        let text = """
            # head
            # second
            a: 1 # after a
            b: # on b
              # inside b
              c: "x" # after c
              d: |- # block
                text
            list:
              # before first
              - one # trailing one
              - two
            flow: [1, 2] # after flow
            # foot 1
            #foot 2

            """
        let docs = try YAMLLoader.loadDocuments(text, file: "c.yaml", options: Self.options)
        let root = docs[0].root
        let pairs = try #require(root.pairs)
        #expect(pairs[0].key.comments.before == [" head", " second"])
        #expect(pairs[0].value.comments.trailing == " after a")
        #expect(pairs[1].key.comments.trailing == " on b")
        let b = try #require(pairs[1].value.pairs)
        #expect(b[0].key.comments.before == [" inside b"])
        #expect(b[0].value.comments.trailing == " after c")
        #expect(b[1].value.comments.trailing == " block")
        #expect(b[1].value.scalarText == "text")
        let list = try #require(root["list"]?.items)
        #expect(list[0].comments.before == [" before first"])
        #expect(list[0].comments.trailing == " trailing one")
        #expect(list[1].comments.isEmpty)
        #expect(root["flow"]?.comments.trailing == " after flow")
        #expect(docs[0].footComments == [" foot 1", "foot 2"])
    }

    @Test func hashesInsideScalarsAreNotComments() throws {
        let text = "a: 'x # y'\nb: \"#z\"\nc: d#e\nd: |\n  # kept\n  text\n"
        let root = try YAMLLoader.loadSingle(text, file: "h", options: Self.options)
        #expect(root["a"]?.comments.isEmpty == true)
        #expect(root["c"]?.scalarText == "d#e")
        #expect(root["c"]?.comments.isEmpty == true)
        #expect(root["d"]?.scalarText == "# kept\ntext\n")
        for pair in root.pairs ?? [] {
            #expect(pair.key.comments.isEmpty)
            #expect(pair.value.comments.isEmpty)
        }
    }

    @Test func multiDocumentComments() throws {
        let text = "a: 1\n# end of one\n---\n# start of two\nb: 2\n# end of two\n"
        let docs = try YAMLLoader.loadDocuments(text, file: "m", options: Self.options)
        #expect(docs.count == 2)
        #expect(docs[0].footComments == [" end of one"])
        #expect(docs[1].root.pairs?[0].key.comments.before == [" start of two"])
        #expect(docs[1].footComments == [" end of two"])
    }

    @Test func nonASCIIBeforeComments() throws {
        let text = "é: ✓ # ünïcode\n# next\nk: v\n"
        let root = try YAMLLoader.loadSingle(text, file: "u", options: Self.options)
        #expect(root["é"]?.comments.trailing == " ünïcode")
        #expect(root.pairs?[1].key.comments.before == [" next"])
    }

    @Test func offByDefault() throws {
        let root = try YAMLLoader.loadSingle("# c\na: 1 # t\n", file: "o")
        #expect(root.pairs?[0].key.comments.isEmpty == true)
        #expect(root["a"]?.comments.isEmpty == true)
    }
}
