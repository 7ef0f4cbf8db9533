import Core
import Testing
@testable import YAML

@Suite struct JSONWriterTests {
    private let compact = JSONOptions(indent: nil, trailingNewline: false)

    @Test func indentedLayoutMatchesGo() {
        let node = Node.mapping([
            "b": .plain("1"),
            "a": .sequence([.plain("true"), .string("x"), .mapping([]), .sequence([])]),
            "c": .mapping(["d": .null]),
        ])
        let expected = """
            {
              "b": 1,
              "a": [
                true,
                "x",
                {},
                []
              ],
              "c": {
                "d": null
              }
            }

            """
        #expect(JSON.serialize(node) == expected)
        #expect(JSON.serialize(node, options: compact) == #"{"b":1,"a":[true,"x",{},[]],"c":{"d":null}}"#)
    }

    @Test func sortsKeysStablyWhenAsked() {
        let node = Node.mapping([
            Node.Pair(key: .string("b"), value: .plain("1")),
            Node.Pair(key: .string("a"), value: .plain("2")),
            Node.Pair(key: .string("B"), value: .plain("3")),
            Node.Pair(key: .string("a"), value: .plain("4")),
        ])
        let options = JSONOptions(indent: nil, sortKeys: true, trailingNewline: false)
        #expect(JSON.serialize(node, options: options) == #"{"B":3,"a":2,"a":4,"b":1}"#)
    }

    @Test(arguments: [
        (Node.plain("true"), "true"), (.plain("False"), "false"), (.plain("yes"), "\"yes\""),
        (.plain("~"), "null"), (.plain(""), "null"), (.plain("null"), "null"),
        (.plain("42"), "42"), (.plain("-7"), "-7"), (.plain("+7"), "7"), (.plain("0x1F"), "31"),
        (.plain("0o17"), "15"), (.plain("0755"), "493"), (.plain("1_000"), "1000"),
        (.plain("18446744073709551615"), "18446744073709551615"),
        (.plain("1.5"), "1.5"), (.plain("1e3"), "1e3"), (.plain("-0.25E-2"), "-0.25E-2"), (.plain(".5"), "0.5"),
        (.plain("1."), "1"), (.plain("+2.50"), "2.5"), (.plain("1_000.5"), "1000.5"), (.plain("1e21"), "1e21"),
        (.plain("100000000000000000000000.0"), "100000000000000000000000.0"),
        (.plain("+1e23"), "1e+23"), (.plain("-0"), "-0"), (.plain(".0000001"), "1e-7"),
        (.plain(".inf"), "\"+Inf\""), (.plain("-.Inf"), "\"-Inf\""), (.plain(".nan"), "\"NaN\""),
        (.string("42"), "\"42\""), (Node(.scalar("true", .singleQuoted)), "\"true\""),
        (Node(.scalar("12", .literal)), "\"12\""), (.plain("2024-01-02"), "\"2024-01-02\""),
        (Node(.scalar("42", .plain), tag: "tag:yaml.org,2002:str"), "\"42\""),
        (Node(.scalar("42", .plain), tag: "!secret"), "\"42\""),
        (Node(.scalar("42", .doubleQuoted), tag: "tag:yaml.org,2002:int"), "42"),
        (Node(.scalar("3", .plain), tag: "tag:yaml.org,2002:float"), "3"),
        (.plain("1.2.3"), "\"1.2.3\""), (.plain("-"), "\"-\""), (.plain("0x"), "\"0x\""),
    ])
    func typesScalars(node: Node, expected: String) {
        #expect(JSON.serialize(node, options: compact) == expected)
    }

    @Test func escapesLikeGo() {
        let text = "q\"b\\n\nr\rt\tb\u{08}f\u{0C}z\u{00}e\u{1F}d\u{7F}<>&\u{2028}\u{2029}é😀/"
        let expected = "\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\fz\\u0000e\\u001fd\u{7F}\\u003c\\u003e\\u0026\\u2028\\u2029é😀/\""
        #expect(JSON.quote(text) == expected)
        #expect(JSON.quote("<a&b>", escapeHTML: false) == #""<a&b>""#)
        let node = Node.mapping([Node.Pair(key: .string("<k>"), value: .string("v"))])
        #expect(JSON.serialize(node, options: compact) == #"{"\u003ck\u003e":"v"}"#)
    }

    @Test func nonScalarKeysBecomeCompactJSONStrings() {
        let node = Node.mapping([Node.Pair(key: .sequence([.plain("1"), .string("a")]), value: .plain("2"))])
        #expect(JSON.serialize(node, options: compact) == #"{"[1,\"a\"]":2}"#)
    }

    @Test func roundTripsParsedJSON() throws {
        let inputs = [
            #"{"a":[1,2.50,-0,1e-7,true,false,null],"b":{"c":"d\ne","c":"\u2028\u003c"},"e":[],"f":{}}"#,
            #"[{"x":"\u0001\"\\"},"é😀",12345678901234567890]"#,
            #""top""#,
            "3.25",
        ]
        for input in inputs {
            let once = JSON.serialize(try JSON.parse(input, file: "in"), options: compact)
            #expect(once == input)
            let pretty = JSON.serialize(try JSON.parse(input, file: "in"))
            let twice = JSON.serialize(try JSON.parse(pretty, file: "pretty"), options: compact)
            #expect(twice == input)
        }
    }

    @Test func jsonTypesFollowTheYAMLResolver() {
        #expect(ResolvedScalar.resolvePlain("1_000") == .int(1000))
        #expect(ResolvedScalar.resolvePlain("0x1F") == .int(31))
        #expect(ResolvedScalar.resolvePlain("0o17") == .int(15))
        #expect(ResolvedScalar.resolvePlain("18446744073709551615") == .uint(UInt64.max))
        #expect(ResolvedScalar.resolvePlain("1e3") == .float(1000, text: "1e3"))
        #expect(ResolvedScalar.resolvePlain("2024-01-02") == .string("2024-01-02"))
        #expect(ResolvedScalar.resolvePlain("yes") == .string("yes"))
        #expect(ResolvedScalar.resolvePlain("~") == .null)
        #expect(JSON.serialize(.plain("0x1F"), options: compact) == "31")
    }
}
