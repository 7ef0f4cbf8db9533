import Core
import Testing
@testable import YAML

@Suite struct JSONParserTests {
    @Test func keepsOrderDuplicatesAndStyles() throws {
        let node = try JSON.parse(#"{"b": 1, "a": "x", "b": [true, null, -2.5e3]}"#, file: "f.json")
        let pairs = try #require(node.pairs)
        #expect(pairs.map { $0.key.scalarText } == ["b", "a", "b"])
        guard case .scalar("1", .plain) = pairs[0].value.content else { Issue.record("number"); return }
        guard case .scalar("x", .doubleQuoted) = pairs[1].value.content else { Issue.record("string"); return }
        let items = try #require(pairs[2].value.items)
        #expect(items.map(\.scalarText) == ["true", "null", "-2.5e3"])
        #expect(node["b"]?.isSequence == true)
    }

    @Test func locationsOnEveryNode() throws {
        let node = try JSON.parse("{\n  \"k\": [1,\n    \"é\", 2]\n}", file: "f.json")
        #expect(node.location == SourceLocation(file: "f.json", line: 1, column: 1))
        let pair = try #require(node.pairs?.first)
        #expect(pair.key.location == SourceLocation(file: "f.json", line: 2, column: 3))
        #expect(pair.value.location == SourceLocation(file: "f.json", line: 2, column: 8))
        let items = try #require(pair.value.items)
        #expect(items[1].location == SourceLocation(file: "f.json", line: 3, column: 5))
        // Columns count code points, so the multi-byte é occupies one column.
        #expect(items[2].location == SourceLocation(file: "f.json", line: 3, column: 10))
    }

    @Test func decodesEscapes() throws {
        let node = try JSON.parse(#""a\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00\ud800x""#, file: "s")
        #expect(node.scalarText == "a\"\\/\u{08}\u{0C}\n\r\tAé😀\u{FFFD}x")
    }

    @Test(arguments: [
        ("", "1:1", "unexpected end of input"),
        ("{\"a\" 1}", "1:6", "expected ':'"),
        ("[1,]", "1:4", "expected a value"),
        ("{\"a\":1,}", "1:8", "expected a string key"),
        ("01", "1:2", "leading zero"),
        ("1.", "1:3", "after decimal point"),
        ("+1", "1:1", "expected a value"),
        ("\"a\nb\"", "1:3", "control character"),
        ("\"\\x\"", "1:3", "invalid escape"),
        ("tru", "1:4", "in literal true"),
        ("nullx", "1:5", "after literal null"),
        ("{} {}", "1:4", "after top-level value"),
        ("[1\n  2]", "2:3", "expected ',' or ']'"),
        ("'a'", "1:1", "expected a value"),
        ("NaN", "1:1", "expected a value"),
    ])
    func rejects(text: String, position: String, message: String) {
        do {
            _ = try JSON.parse(text, file: "bad.json")
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.description.hasPrefix("bad.json:\(position): error: invalid JSON"), "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.code == .config)
        }
    }

    @Test func deepNestingIsAnError() {
        let text = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: CloakError.self) { try JSON.parse(text, file: "deep") }
    }
}
