import Core
import Resolve
import Testing
import YAML

@Suite struct RefMatcherTests {
    @Test(arguments: [
        ("ref+echo://foo", ["echo://foo"]),
        ("secretref+vault://srv/foo/bar", ["vault://srv/foo/bar"]),
        ("\"ref+x://a?b=c\",", ["x://a?b=c"]),
        ("ref+x://a\",b", ["x://a\",b"]),
        ("foo ref+x://s1+ ref+x://s2+ bar", ["x://s1", "x://s2"]),
        ("ref+echo://a\tb c", ["echo://a\tb"]),
        ("secretref+vault://srv/foo/bar+ + + ", ["vault://srv/foo/bar"]),
        ("x-ref+echo://ab+-y", ["echo://ab"]),
        ("ref+echo://a", []),
        ("ref+echo://ab", ["echo://ab"]),
        ("ref+echo://a,", []),
        ("ref+echo://ab,", ["echo://ab"]),
        ("ref+echo://ab\"", ["echo://ab"]),
        ("ref+echo:/ab", []),
        ("ref+echo://ab\nref+echo://cd", ["echo://ab", "echo://cd"]),
        ("ref+file://x.yaml#/a/b", ["file://x.yaml#/a/b"]),
        ("no references here", []),
        ("ref+", []),
    ])
    func matchesKeys(text: String, keys: [String]) {
        #expect(RefMatcher.matches(in: text).map(\.key) == keys)
    }

    @Test func kindsTerminatorAndRange() {
        let ms = RefMatcher.matches(in: "a secretref+x://s1+b ref+y://zz")
        #expect(ms.count == 2)
        #expect(ms[0].kind == .secretref)
        #expect(ms[0].terminated)
        #expect(ms[0].range == 2..<19)
        #expect(ms[1].kind == .ref)
        #expect(!ms[1].terminated)
        #expect(ms[1].range == 21..<31)
    }

    @Test func plusEndsTheReference() {
        // A path can never contain `+`: it terminates the reference; the rest is literal text.
        let ms = RefMatcher.matches(in: "ref+echo://ab+cd")
        #expect(ms.map(\.key) == ["echo://ab"])
        #expect(ms.first?.range == 0..<14)
        #expect(RefMatcher.matches(in: "ref+echo://a+b").isEmpty)  // one character before the `+` is too short
    }

    @Test func containsReference() {
        #expect(RefMatcher.containsReference("x ref+echo://ab"))
        #expect(!RefMatcher.containsReference("ref+echo://a"))
        #expect(!RefMatcher.containsReference("plain"))
    }
}

@Suite struct RefKeyTests {
    @Test(arguments: [
        ("echo://foo/bar", "echo", "foo/bar"),
        ("echo://foo", "echo", "foo/"),
        ("file:///abs/x", "file", "/abs/x"),
        ("file://rel/x", "file", "rel/x"),
        ("file://rel/x?encode=base64", "file", "rel/x"),
        ("echo://user@host/p", "echo", "host/p"),
        ("echo://a/b%2Bc", "echo", "a/b+c"),
        ("envsubst://$VAR/path", "envsubst", "$VAR/path"),
        ("awssecrets://arn:aws:secretsmanager:us-east-1:1:secret:db?region=x#/pw", "awssecrets", "arn:aws:secretsmanager:us-east-1:1:secret:db/"),
        ("awssecrets://arn:aws-cn:secretsmanager:cn:1:secret:db", "awssecrets", "arn:aws-cn:secretsmanager:cn:1:secret:db/"),
    ])
    func providerPaths(key: String, scheme: String, path: String) throws {
        let k = try RefKey(parsing: key)
        #expect(k.scheme == scheme)
        #expect(k.providerPath == path)
    }

    @Test func queryAndFragment() throws {
        let k = try RefKey(parsing: "sops://f.yaml?format=json&key_type=filepath&format=yaml&x=a%20b#/a%2Fb/c")
        #expect(k.query == ["format": "json", "key_type": "filepath", "x": "a b"])
        #expect(k.rawQuery == "format=json&key_type=filepath&format=yaml&x=a%20b")
        #expect(k.fragment == "/a/b/c")
        #expect(k.documentKey == "sops://f.yaml?format=json&key_type=filepath&format=yaml&x=a%20b")
        let arn = try RefKey(parsing: "awssecrets://arn:aws:secretsmanager:r:1:secret:db?version_stage=AWSCURRENT#/user")
        #expect(arn.host == "arn:aws:secretsmanager:r:1:secret:db")
        #expect(arn.query["version_stage"] == "AWSCURRENT")
        #expect(arn.fragment == "/user")
    }

    @Test(arguments: [
        ("envsubst://${VAR}", "invalid character"),
        ("echo://a:b/c", "invalid port"),
        ("echo://a/%zz", "invalid URL escape"),
        ("1x://ab", "must start with a letter"),
    ])
    func urlErrors(key: String, message: String) {
        let error = captureError { _ = try RefKey(parsing: key) }
        #expect(error?.message.contains(message) == true)
    }

    @Test func paramsFallBackToValsEnvironment() {
        let params = RefParams(query: ["region": "eu-west-1"], environment: Environment(["VALS_REGION": "us-east-1", "VALS_PROFILE": "ops"]))
        #expect(params.value("region") == "eu-west-1")
        #expect(params.value("profile") == "ops")
        #expect(params.value("role_arn") == nil)
    }
}

@Suite struct RefFragmentTests {
    let doc = try! YAMLLoader.loadSingle(
        "a:\n  b: 1\n  c: [x, y]\n  n: null\n  f: 1.5\n  t: true\n  big: 9223372036854775808\n  '': empty\n5: five\n",
        file: "d.yaml")

    @Test func segments() {
        #expect(RefFragment.segments("#/a/b") == ["a", "b"])
        #expect(RefFragment.segments("/a//b") == ["a", "", "b"])
        #expect(RefFragment.segments("a") == ["a"])
    }

    @Test func hitsKeepTheirType() throws {
        #expect(try RefFragment.walk(doc, fragment: "/a/b", failOnMissingKey: true).scalarValue == .int(1))
        #expect(try RefFragment.walk(doc, fragment: "/a/f", failOnMissingKey: true).scalarValue == .float(1.5))
        #expect(try RefFragment.walk(doc, fragment: "/a/t", failOnMissingKey: true).scalarValue == .bool(true))
        #expect(try RefFragment.walk(doc, fragment: "/a/big", failOnMissingKey: true).scalarValue == .uint(9223372036854775808))
        #expect(try RefFragment.walk(doc, fragment: "/a/c", failOnMissingKey: true).items?.count == 2)
        #expect(try RefFragment.walk(doc, fragment: "/a/", failOnMissingKey: true).scalarText == "empty")
        #expect(try RefFragment.walk(doc, fragment: "/5", failOnMissingKey: true).scalarText == "five")
        #expect(try RefFragment.walk(doc, fragment: "/a", failOnMissingKey: true).isMapping)
    }

    @Test func missingKeys() throws {
        let e = captureError { _ = try RefFragment.walk(doc, fragment: "/a/zz", failOnMissingKey: true) }
        #expect(e?.message == "no value found for key /a/zz")
        #expect(try RefFragment.walk(doc, fragment: "/a/zz", failOnMissingKey: false).isNull)
        // Present but null: null in both modes.
        #expect(try RefFragment.walk(doc, fragment: "/a/n", failOnMissingKey: true).isNull)
    }

    @Test func listsCannotBeIndexed() {
        let e = captureError { _ = try RefFragment.walk(doc, fragment: "/a/c/0", failOnMissingKey: true) }
        #expect(e?.message == "unexpected type of value for key at 2=0 in [a c 0]: expected a map, got []interface {}")
        let s = captureError { _ = try RefFragment.walk(doc, fragment: "/a/b/x", failOnMissingKey: true) }
        #expect(s?.message.hasSuffix("expected a map, got int") == true)
    }
}

@Suite struct GoValueFormatTests {
    @Test(arguments: [
        ("s", "s"), ("'1'", "1"), ("42", "42"), ("1.5", "1.5"), ("1e21", "1e+21"), ("true", "true"), ("null", "<nil>"),
        ("~", "<nil>"), ("{b: two, a: 1}", "map[a:1 b:two]"), ("[a, 1, null]", "[a 1 <nil>]"),
        ("{m: {x: [1, 2]}}", "map[m:map[x:[1 2]]]"),
    ])
    func formats(yaml: String, expected: String) throws {
        let node = try YAMLLoader.loadSingle(yaml, file: "v.yaml")
        #expect(GoValueFormat.format(node) == expected)
    }
}
