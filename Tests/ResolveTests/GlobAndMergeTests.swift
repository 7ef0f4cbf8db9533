import Resolve
import Testing
import YAML

@Suite struct GlobTests {
    @Test(arguments: [
        ("orgs/**/*", "orgs/acme/platform/dev.yaml", true),
        ("orgs/**/*", "orgs/dev.yaml", true),
        ("**/_defaults.yaml", "orgs/acme/_defaults.yaml", true),
        ("**/_defaults.yaml", "_defaults.yaml", true),
        ("**/catalog/**", "catalog/base.yaml", true),
        ("**/catalog/**", "x/catalog/y/z.yaml", true),
        ("deploy/*", "deploy/a/b.yaml", false),
        ("deploy/*.yaml", "deploy/dev.yaml", true),
        ("deploy/{dev,prod}.yaml", "deploy/prod.yaml", true),
        ("deploy/{dev,prod}.yaml", "deploy/stage.yaml", false),
        ("d?v.yaml", "dev.yaml", true),
        ("[a-c]*.yaml", "b1.yaml", true),
        ("[!a-c]*.yaml", "b1.yaml", false),
    ])
    func matches(pattern: String, path: String, expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }
}

@Suite struct DeepMergeTests {
    private func list(_ items: [String]) -> Node { .sequence(items.map { .string($0) }) }

    @Test func mapsMergeRecursivelyKeepingFirstOrder() {
        let a = Node.mapping(["x": .string("1"), "m": .mapping(["p": .string("a")])])
        let b = Node.mapping(["m": .mapping(["q": .string("b")]), "y": .string("2"), "x": .string("3")])
        let merged = DeepMerge.merge(a, b)
        #expect(merged.keys == ["x", "m", "y"])
        #expect(merged["x"]?.scalarText == "3")
        #expect(merged["m"]?.keys == ["p", "q"])
    }

    @Test func listStrategies() {
        let a = list(["a", "b"])
        let b = list(["c"])
        #expect(DeepMerge.merge(a, b, lists: .replace).items?.compactMap(\.scalarText) == ["c"])
        #expect(DeepMerge.merge(a, b, lists: .append).items?.compactMap(\.scalarText) == ["a", "b", "c"])
        #expect(DeepMerge.merge(a, b, lists: .merge).items?.compactMap(\.scalarText) == ["a", "b"])
        let m1 = Node.sequence([.mapping(["k": .string("1"), "j": .string("x")])])
        let m2 = Node.sequence([.mapping(["k": .string("2")]), .mapping(["z": .string("3")])])
        let merged = DeepMerge.merge(m1, m2, lists: .merge)
        #expect(merged.items?.count == 2)
        #expect(merged.items?.first?["k"]?.scalarText == "2")
        #expect(merged.items?.first?["j"]?.scalarText == "x")
    }

    @Test func scalarsAreReplacedByLaterLayers() {
        #expect(DeepMerge.merge(.string("a"), .mapping(["k": .string("v")])).isMapping)
        #expect(DeepMerge.merge([nil, .string("a"), nil, .string("b")])?.scalarText == "b")
    }
}
