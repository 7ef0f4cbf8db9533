import Core
import Resolve
import Testing
import YAML

/// Upstream Atmos scenarios 14–17 (atmos-secrets.md §10), rebuilt as fixtures of our own.
@Suite struct ConformanceTests {
    @Test func relativePathsScenario14() throws {
        let catalog = try TestRepo.fixtureCatalog("relative-paths")
        #expect(try catalog.entries().map(\.name) == ["acme-platform-dev", "acme-platform-prod", "acme-platform-staging"])
        let mock = try catalog.component("mock", stack: "acme-platform-dev")
        #expect(mock.vars["foo"]?.scalarText == "foo dev override")
        #expect(mock.vars["bar"]?.scalarText == "bar dev override")
        #expect(mock.vars["baz"]?.scalarText == "baz-catalog")
        #expect(mock.vars["namespace"]?.scalarText == "acme")
        #expect(mock.vars["tenant"]?.scalarText == "platform")
        #expect(mock.vars["stage"]?.scalarText == "dev")
        let prod = try catalog.component("mock", stack: "acme-platform-prod")
        #expect(prod.vars["foo"]?.scalarText == "foo prod override")
    }

    @Test func stackManifestNameScenario15() throws {
        let catalog = try TestRepo.fixtureCatalog("stack-manifest-name")
        #expect(try catalog.entries().map(\.name) == ["my-legacy-prod-stack", "no-name-prod"])
        let vpc = try catalog.component("vpc", stack: "my-legacy-prod-stack")
        #expect(vpc.vars["cidr"]?.scalarText == "10.0.0.0/16")
        #expect(vpc.vars["enabled"]?.scalarText == "true")
        // The file-path name of a renamed stack is rejected with a pointer to the canonical name.
        let error = captureError { _ = try catalog.entry(named: "legacy-prod") }
        #expect(error?.message.contains("did you mean \"my-legacy-prod-stack\"") == true)
    }

    @Test(arguments: [
        ("replace-component", "tags", ["child-tag"]),
        ("append-component", "tags", ["base-tag-1", "base-tag-2", "child-tag"]),
        ("inherit-strategy-component", "tags", ["base-tag-1", "base-tag-2", "child-tag"]),
        ("mi-replace", "my_list", ["from_b"]),
        ("mi-append", "my_list", ["from_a", "from_b"]),
        ("mi-merge-strategy", "my_list", ["from_a"]),
        ("mi-multi-level-append", "my_list", ["from_a", "from_middle", "from_leaf"]),
    ])
    func listMergeStrategyScenario16(component: String, variable: String, expected: [String]) throws {
        let catalog = try TestRepo.fixtureCatalog("list-merge-strategy")
        let c = try catalog.component(component, stack: "dev")
        #expect(c.vars[variable]?.items?.compactMap(\.scalarText) == expected)
        #expect(c.componentPath == "mock")
    }

    @Test func inheritanceWithoutMetadataComponentScenario17() throws {
        let catalog = try TestRepo.fixtureCatalog("inheritance-without-metadata-component")
        let c = try catalog.component("derived-component", stack: "test")
        #expect(c.vars["name"]?.scalarText == "derived-component")
        #expect(c.vars["base_var"]?.scalarText == "base-value")
        #expect(c.vars["derived_var"]?.scalarText == "derived-value")
        #expect(c.vars["enabled"]?.scalarText == "true")
        #expect(c.componentPath == "derived-component")
        #expect(c.inheritance == ["base-component"])
    }
}
