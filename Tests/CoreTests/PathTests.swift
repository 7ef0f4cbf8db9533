import Testing

@testable import Core

/// Lexical path handling: `.` and `..` folding, absolute vs relative results.
@Suite struct PathTests {
    @Test(arguments: [
        ("/a/b/../c", "/a/c"),
        ("/a/./b//c/", "/a/b/c"),
        ("/", "/"),
        ("/..", "/"),
        ("/../a", "/a"),
        ("a/b/..", "a"),
        ("a/..", "."),
        ("", "."),
        (".", "."),
        ("../a", "../a"),
        ("../../a/../b", "../../b"),
        ("a/../../b", "../b"),
        ("stacks/./deploy/../catalog/app.yaml", "stacks/catalog/app.yaml"),
        ("/srv/ünïcode/./x", "/srv/ünïcode/x"),
    ])
    func normalizeFoldsDotsLexically(_ input: String, _ expected: String) {
        #expect(Path.normalize(input) == expected)
    }

    @Test func absoluteJoinsThenNormalizes() {
        #expect(Path.absolute("../x.yaml", relativeTo: "/repo/stacks") == "/repo/x.yaml")
        #expect(Path.absolute("/etc/atmos.yaml", relativeTo: "/repo") == "/etc/atmos.yaml")
    }
}
