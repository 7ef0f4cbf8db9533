@testable import Resolve
import Testing

@Suite struct LoadTimeTagsTests {
    @Test(arguments: [
        ("vars:\n  a: !env HOME\n", true), ("x: !exec echo hi", true), ("x: !include a.yaml", true),
        ("x: !repo-root", true), ("x: !cwd", true), ("!env", true), ("x: !envfoo", true),
        ("x: !secret A", false), ("x: !terraform.output a b", false), ("x: '!'", false), ("x: a!", false), ("", false),
        ("vars: {a: !cw}", false), ("émoji ✓ !include f", true),
    ])
    func findsOnlyLoadTimeFunctions(text: String, expected: Bool) {
        #expect(LoadTimeTags.present(in: text) == expected)
        // Same answer as the plain substring searches it replaces.
        let reference = ["!env", "!exec", "!include", "!repo-root", "!cwd"].contains { text.contains($0) }
        #expect(reference == expected)
    }
}
