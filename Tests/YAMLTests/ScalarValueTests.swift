import Core
import Testing
import YAML

@Suite struct ScalarValueTests {
    struct Case: Sendable, CustomStringConvertible {
        let text: String
        let expected: ScalarValue
        var description: String { "\(text) → \(expected)" }
        init(_ text: String, _ expected: ScalarValue) {
            self.text = text
            self.expected = expected
        }
    }

    static let plainCases: [Case] = [
        // null
        Case("", .null), Case("~", .null), Case("null", .null), Case("Null", .null), Case("NULL", .null),
        Case("nULL", .string("nULL")),
        // bool: core schema spellings only
        Case("true", .bool(true)), Case("True", .bool(true)), Case("TRUE", .bool(true)), Case("false", .bool(false)),
        Case("False", .bool(false)), Case("FALSE", .bool(false)), Case("yes", .string("yes")), Case("on", .string("on")),
        Case("y", .string("y")), Case("off", .string("off")), Case("tRUE", .string("tRUE")),
        // ints
        Case("42", .int(42)), Case("-7", .int(-7)), Case("+5", .int(5)), Case("0", .int(0)), Case("-0", .int(0)),
        Case("0x1F", .int(31)), Case("0X1f", .int(31)), Case("0o17", .int(15)), Case("0O17", .int(15)),
        Case("0b101", .int(5)), Case("-0b101", .int(-5)), Case("017", .int(15)), Case("1_000", .int(1000)),
        Case("-0x10", .int(-16)), Case("9223372036854775807", .int(.max)), Case("-9223372036854775808", .int(.min)),
        Case("9223372036854775808", .uint(9_223_372_036_854_775_808)), Case("0xFFFFFFFFFFFFFFFF", .uint(.max)),
        Case("18446744073709551616", .float(18446744073709551616.0)),
        Case("123456789012345678901234567890", .float(1.2345678901234568e+29)),
        Case("-9223372036854775809", .float(-9223372036854775809.0)),
        // leading-zero decimals that are not octal become floats, as in go-yaml
        Case("08", .float(8)), Case("0x", .string("0x")), Case("0b2", .string("0b2")),
        // floats
        Case("1.5", .float(1.5)), Case("1e3", .float(1000)), Case("-1.5e-3", .float(-0.0015)), Case("1.", .float(1)),
        Case(".5", .float(0.5)), Case(".5e1", .float(5)), Case("+.5", .float(0.5)), Case("1_0.5", .float(10.5)),
        Case(".inf", .float(.infinity)), Case(".Inf", .float(.infinity)), Case("+.INF", .float(.infinity)),
        Case("-.inf", .float(-.infinity)), Case(".nan", .float(.nan)), Case(".NaN", .float(.nan)),
        Case(".NAN", .float(.nan)), Case(".inF", .string(".inF")), Case("1e400", .string("1e400")),
        Case("1e", .string("1e")), Case(".", .string(".")), Case("1.2.3", .string("1.2.3")),
        Case("0x1p3", .string("0x1p3")), Case("inf", .string("inf")), Case("NaN", .string("NaN")),
        // timestamps
        Case("2024-01-02", .timestamp("2024-01-02T00:00:00Z")),
        Case("2024-1-2", .timestamp("2024-01-02T00:00:00Z")),
        Case("2024-01-02 03:04:05", .timestamp("2024-01-02T03:04:05Z")),
        Case("2024-01-02  3:4:5.5", .timestamp("2024-01-02T03:04:05.5Z")),
        Case("2024-01-02T03:04:05Z", .timestamp("2024-01-02T03:04:05Z")),
        Case("2024-01-02t03:04:05.123456789Z", .timestamp("2024-01-02T03:04:05.123456789Z")),
        Case("2024-01-02T03:04:05.1234567891Z", .timestamp("2024-01-02T03:04:05.123456789Z")),
        Case("2024-01-02T03:04:05.000Z", .timestamp("2024-01-02T03:04:05Z")),
        Case("2024-01-02T03:04:05+02:00", .timestamp("2024-01-02T03:04:05+02:00")),
        Case("2024-01-02T03:04:05-00:00", .timestamp("2024-01-02T03:04:05Z")),
        Case("2024-01-02T03:04:05,5-01:30", .timestamp("2024-01-02T03:04:05.5-01:30")),
        Case("2024-02-29", .timestamp("2024-02-29T00:00:00Z")),
        Case("2023-02-29", .string("2023-02-29")), Case("2024-13-01", .string("2024-13-01")),
        Case("2024-01-02T03:04:05", .string("2024-01-02T03:04:05")),
        Case("2024-01-02 03:04:05.5 +02:00", .string("2024-01-02 03:04:05.5 +02:00")),
        Case("2024-01-02T24:00:00Z", .string("2024-01-02T24:00:00Z")),
        Case("2024-01-02T03:04:05+0200", .string("2024-01-02T03:04:05+0200")),
        Case("2024-001-02", .string("2024-001-02")), Case("20240-01-02", .string("20240-01-02")),
        // strings
        Case("hello", .string("hello")), Case("<<", .string("<<")), Case("-", .string("-")),
        Case("+", .string("+")), Case("- x", .string("- x")), Case("1:20", .string("1:20")),
    ]

    @Test(arguments: plainCases) func plainResolution(_ c: Case) {
        #expect(Node.plain(c.text).scalarValue == c.expected)
    }

    @Test func quotedAndBlockScalarsAreStrings() throws {
        let root = try YAMLLoader.loadSingle("a: '1'\nb: \"true\"\nc: |\n  null\nd: >\n  2\ne: ''\n", file: "q")
        #expect(root["a"]?.scalarValue == .string("1"))
        #expect(root["b"]?.scalarValue == .string("true"))
        #expect(root["c"]?.scalarValue == .string("null\n"))
        #expect(root["d"]?.scalarValue == .string("2\n"))
        #expect(root["e"]?.scalarValue == .string(""))
        #expect(root["e"]?.isNull == false)
    }

    @Test func explicitTags() throws {
        let text = """
            s: !!str 123
            i: !!int "12"
            f: !!float 1
            b: !!bool "true"
            n: !!null ""
            t: !!timestamp "2024-01-02"
            bad: !!int abc
            secret: !secret 42
            env: !env true
            """
        let root = try YAMLLoader.loadSingle(text, file: "tags.yaml")
        #expect(root["s"]?.scalarValue == .string("123"))
        #expect(root["i"]?.scalarValue == .int(12))
        #expect(root["f"]?.scalarValue == .float(1))
        #expect(root["b"]?.scalarValue == .bool(true))
        #expect(root["n"]?.scalarValue == .null)
        #expect(root["t"]?.scalarValue == .timestamp("2024-01-02T00:00:00Z"))
        #expect(root["bad"]?.scalarValue == .string("abc"))
        let error = #expect(throws: CloakError.self) { try root["bad"]?.typedScalarValue() }
        #expect(error?.location == SourceLocation(file: "tags.yaml", line: 7, column: 6))
        #expect(error?.message.contains("abc") == false)
        #expect(root["secret"]?.scalarValue == .string("42"))
        #expect(root["env"]?.scalarValue == .string("true"))
        #expect(try root["i"]?.typedScalarValue() == .int(12))
    }

    @Test func helpers() throws {
        let root = try YAMLLoader.loadSingle("a: ~\nb: True\nc: 7\nd: [1]\ne: 2.5\nf: \"x\"\n", file: "h")
        #expect(root["a"]?.isNull == true)
        #expect(root["d"]?.isNull == false)
        #expect(root["b"]?.boolValue == true)
        #expect(root["c"]?.boolValue == nil)
        #expect(root["c"]?.intValue == 7)
        #expect(root["e"]?.doubleValue == 2.5)
        #expect(root["c"]?.stringValue == "7")
        #expect(root["d"]?.stringValue == nil)
        #expect(root["f"]?.isStringScalar == true)
        #expect(root["c"]?.isStringScalar == false)
    }

    @Test func fixtureTyping() throws {
        let root = try YAMLLoader.loadSingle(Fixtures.typesPlainYAML, file: "types.plain.yaml")
        #expect(root["d"]?.scalarValue == .timestamp("2024-01-02T00:00:00Z"))
        #expect(root["t"]?.scalarValue == .string("2024-01-02 03:04:05.5 +02:00"))
        #expect(root["hex"]?.scalarValue == .int(31))
        #expect(root["oct"]?.scalarValue == .int(15))
        #expect(root["inf"]?.scalarValue == .float(.infinity))
        #expect(root["big"]?.scalarValue == .float(1.2345678901234568e+29))
        #expect(root["b_unencrypted"]?.scalarValue == .string("yes"))
    }

    @Test func equalityIgnoresLocationStyleAndComments() throws {
        let a = try YAMLLoader.loadSingle("k: \"v\"\nn: 1\n", file: "a")
        let b = try YAMLLoader.loadSingle("# c\nk: v   # t\nn: 1\n", file: "b", options: LoadOptions(comments: true))
        #expect(a == b)
        let c = try YAMLLoader.loadSingle("k: v\nn: \"1\"\n", file: "c")
        #expect(a != c)
        let d = try YAMLLoader.loadSingle("k: !x v\nn: 1\n", file: "d")
        #expect(a != d)
        #expect(Node.plain(".nan") == Node.plain(".nan"))
    }
}

@Suite struct NodeEqualityTests {
    @Test func nullSpellingsAreEqualButOtherTextIsNot() {
        #expect(Node.plain("") == Node.null)
        #expect(Node.plain("~") == Node.plain("NULL"))
        #expect(Node.plain("0x1F") != Node.plain("31"))
        #expect(Node.string("null") != Node.null)
        #expect(Node.plain("x") == Node.string("x"))
        #expect(Node.sequence([.plain("a")]) != Node.sequence([.plain("a"), .plain("b")]))
        #expect(Node.mapping(["a": .plain("1")]) != Node.mapping(["b": .plain("1")]))
        #expect(Node.mapping([]) != Node.sequence([]))
    }

    @Test func byteOrderMarksAndUTF16() throws {
        let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("# c\na: 1 # t\n".utf8)
        let docs = try YAMLLoader.loadDocuments(bytes: utf8BOM, file: "bom", options: LoadOptions(comments: true))
        #expect(docs[0].root.pairs?[0].key.comments.before == [" c"])
        #expect(docs[0].root["a"]?.comments.trailing == " t")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "a: é\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try YAMLLoader.loadSingle(bytes: utf16, file: "u16")["a"]?.scalarText == "é")
    }
}
