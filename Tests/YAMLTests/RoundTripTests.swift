import Testing
import YAML

@Suite struct RoundTripTests {
    static let documents: [String] = [
        "a: 1\nb: two\nc: [1, 2, {d: e}]\n",
        "- a\n- - b\n  - c\n- {x: y, z: [1]}\n- []\n- {}\n",
        "s: 'single'\nd: \"double\\tq\"\nl: |\n  line\n   indented\nf: >\n  folded\n  text\n",
        "k: !secret path/to/x\nj: !include other.yaml\ne: !env HOME\nt: !!str true\n",
        "n1: ~\nn2: null\nn3:\nb1: True\nb2: FALSE\ny: yes\ni: 0x1F\no: 017\nf: .inf\nts: 2024-01-02\n",
        "quoted: {'a b': 'c: d', \"e#f\": \" g\"}\n",
        "anchors:\n  base: &b {p: 1}\n  use: *b\n  merged:\n    <<: *b\n    q: 2\n",
        "unicode: héllo ✓\nemoji: \"😀\"\nctrl: \"\\x01\\x7F\"\nnel: \"a\\Nb\"\n",
        "multi: \"l1\\nl2\\n\\n\"\nlead: \"\\nx\"\ntrail: \"x\\n \"\ncr: \"a\\rb\"\n",
        "? [complex, key]\n: value\n? {a: b}\n: 2\n",
        "deep:\n  a:\n    b:\n      c:\n        - d:\n            e: [f, g]\n",
        "'123': num\n\"true\": bool\n'': empty\n'null': nul\n",
        "long: " + String(repeating: "word ", count: 60) + "end\n",
        "a: 1\n---\n- b\n---\nscalar\n---\n",
        "{\"json\": [1, 2.5, -3e2, true, null, \"s\"], \"nested\": {\"k\": {}}}\n",
        "dashes: '---'\ndots: '...'\nq: '?'\ncolon: ':'\nhash: '#'\npipe: '|'\ngt: '>'\n",
        "sexagesimal: '1:20'\nfloatish: '1e3'\nneg: '-.inf'\ndate: '2024-01-02 03:04:05'\n",
        "tab_in_block: |\n  a\tb\n  c\n",
    ]

    @Test(arguments: 0..<documents.count) func roundTrip(_ index: Int) throws {
        let text = Self.documents[index]
        let loaded = try YAMLLoader.load(text, file: "in.yaml")
        for indent in [2, 4] {
            let emitted = YAMLEmitter.emit(loaded, options: EmitOptions(indent: indent))
            let reloaded = try YAMLLoader.load(emitted, file: "out.yaml")
            #expect(reloaded == loaded, "indent \(indent):\n\(emitted)")
            // Emitting is stable: the emitted text is already in normal form.
            #expect(YAMLEmitter.emit(reloaded, options: EmitOptions(indent: indent)) == emitted)
        }
    }

    @Test func roundTripKeepsComments() throws {
        let text = "# h\na: 1 # t\nb:\n  # in\n  - x # y\n# f\n"
        let options = LoadOptions(comments: true)
        let docs = try YAMLLoader.loadDocuments(text, file: "c", options: options)
        let emitted = YAMLEmitter.emit(documents: docs)
        let again = try YAMLLoader.loadDocuments(emitted, file: "c2", options: options)
        #expect(again == docs)
        #expect(again[0].root.pairs?[0].key.comments.before == [" h"])
        #expect(again[0].root["b"]?.items?[0].comments == Comments(before: [" in"], trailing: " y"))
        #expect(again[0].footComments == [" f"])
    }
}
