import Core
import Testing

@testable import Stores

@Suite struct JSONScannerTests {
    static func parse(_ text: String) -> (SecretBytes, JSONSpan?) {
        let s = StoresFixtures.secret(text)
        return (s, s.withUnsafeBytes { try? JSONScanner.parse($0) })
    }

    @Test func pullsFieldsWithEscapesIntoSecrets() throws {
        let (doc, span) = Self.parse(#"{"Parameter": {"Name": "/a", "Value": "p\u00e9\"x\\y\n\ud83d\ude00"}, "n": -1.5e3}"#)
        let root = try #require(span)
        let value = doc.withUnsafeBytes { buf in
            root.member("Parameter", in: buf)?.member("Value", in: buf)?.stringRange.flatMap { JSONScanner.secretString(buf, $0) }
        }
        #expect(value?.unsafeString() == "pé\"x\\y\n😀")
        #expect(doc.withUnsafeBytes { root.member("n", in: $0)?.kind } == .number)
    }

    @Test(arguments: [
        "", "{", #"{"a":}"#, #"{"a":1,}"#, "[1,]", #""\x""#, "01", "1.", "tru", #"{"a" 1}"#, "\"a\nb\"", #""\ud800""#,
    ])
    func rejectsMalformedDocuments(_ text: String) {
        let (_, span) = Self.parse(text)
        if text == #""\ud800""# {
            // Syntactically valid; the lone surrogate fails only when decoded.
            let s = StoresFixtures.secret(text)
            let ok = s.withUnsafeBytes { buf in JSONScanner.secretString(buf, 1..<(buf.count - 1)) }
            #expect(ok == nil)
        } else {
            #expect(span == nil)
        }
    }

    @Test func malformedResponseErrorNamesOffsetNotContent() {
        let r = HTTPResponse(status: 200, text: #"{"Parameter": {"Value": "hunter2-secret"#)
        #expect {
            _ = try AWSJSONClient.parse(r, "ssm GetParameter \"/x\"")
        } throws: { e in
            let m = (e as? CloakError)?.description ?? ""
            return m.contains("not valid JSON (at byte") && !m.contains("hunter2")
        }
    }

    @Test func writerEscapesSecretsAndNesting() {
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("Name", "/a\"b")
        w.key("Value")
        w.string(StoresFixtures.secret("x\"\\\n\u{01}y"))
        w.key("Names")
        w.beginArray()
        w.string("a")
        w.string("b")
        w.endArray()
        w.key("Overwrite")
        w.bool(true)
        w.endObject()
        #expect(w.finish().unsafeString() == #"{"Name":"/a\"b","Value":"x\"\\\n\u0001y","Names":["a","b"],"Overwrite":true}"#)
    }

    @Test func base64RoundTripsThroughGuardedMemory() {
        #expect(AWSBase64.encode(Array("hello".utf8)) == "aGVsbG8=")
        #expect(AWSBase64.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(AWSBase64.decode("aGVsbG8") == Array("hello".utf8))
        #expect(AWSBase64.decode("a$==") == nil)
    }
}

@Suite struct ValueEncodingTests {
    func text(_ v: SecretValue) -> String { v.bytes.unsafeString() }

    @Test func ssmWritesStringsRawAndOtherValuesAsJSON() {
        #expect(AWSValueEncoding.ssmEncode(.text(StoresFixtures.secret("abc"))).unsafeString() == "abc")
        #expect(AWSValueEncoding.ssmEncode(.text(StoresFixtures.secret(""))).unsafeString() == #""""#)
        #expect(AWSValueEncoding.ssmEncode(.json(StoresFixtures.secret(#"{"a":1}"#))).unsafeString() == #"{"a":1}"#)
    }

    @Test func ssmReadsKeepMapsListsAndStrings() {
        let s = AWSValueEncoding.ssmDecode(StoresFixtures.secret(#""quoted""#))
        #expect(!s.isJSON && text(s) == "quoted")
        let m = AWSValueEncoding.ssmDecode(StoresFixtures.secret(#"{"a":[1]}"#))
        #expect(m.isJSON && text(m) == #"{"a":[1]}"#)
        let n = AWSValueEncoding.ssmDecode(StoresFixtures.secret("42"))
        #expect(!n.isJSON && text(n) == "42")
        let raw = AWSValueEncoding.ssmDecode(StoresFixtures.secret("plain text"))
        #expect(!raw.isJSON && text(raw) == "plain text")
    }

    @Test func asmQuotesPlainStringsAndKeepsDocuments() {
        #expect(AWSValueEncoding.asmEncode(.text(StoresFixtures.secret("abc"))).unsafeString() == #""abc""#)
        #expect(AWSValueEncoding.asmEncode(.text(StoresFixtures.secret(#"{"p":"x"}"#))).unsafeString() == #"{"p":"x"}"#)
        #expect(AWSValueEncoding.asmEncode(.text(StoresFixtures.secret("[1]"))).unsafeString() == "[1]")
        #expect(AWSValueEncoding.asmEncode(.text(StoresFixtures.secret("42"))).unsafeString() == #""42""#)
        let back = AWSValueEncoding.asmDecode(StoresFixtures.secret(#""abc""#))
        #expect(!back.isJSON && text(back) == "abc")
        let doc = AWSValueEncoding.asmDecode(StoresFixtures.secret(#"{"p":"x"}"#))
        #expect(doc.isJSON)
        let legacy = AWSValueEncoding.asmDecode(StoresFixtures.secret("not json"))
        #expect(!legacy.isJSON && text(legacy) == "not json")
    }
}
