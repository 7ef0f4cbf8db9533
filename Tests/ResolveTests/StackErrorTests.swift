import Core
import Resolve
import Testing

/// Bad input gives one line naming file:line:col (or the flag at fault), never a crash.
@Suite struct StackErrorTests {
    static let atmos = "stacks:\n  base_path: stacks\n  included_paths: [\"deploy/*\"]\n"

    private func error(_ files: [String: String], _ body: (StackCatalog) throws -> Void) throws -> CloakError {
        let repo = try TestRepo(files.merging(["atmos.yaml": Self.atmos]) { a, _ in a })
        let caught = captureError { try body(try repo.catalog()) }
        return try #require(caught)
    }

    @Test func malformedYAMLNamesFileLineColumn() throws {
        let e = try error(["stacks/deploy/dev.yaml": "vars:\n  a: [1, 2\n  b: 3\n"]) { _ = try $0.entries() }
        #expect(e.description.hasPrefix("stacks/deploy/dev.yaml:"))
        #expect(e.location?.line ?? 0 > 0)
        #expect(!e.description.contains("\n"))
    }

    @Test func importCycleIsReported() throws {
        let e = try error([
            "stacks/deploy/dev.yaml": "import: [catalog/a]\n",
            "stacks/catalog/a.yaml": "import: [catalog/b]\n",
            "stacks/catalog/b.yaml": "import: [catalog/a]\n",
        ]) { _ = try $0.allComponents() }
        #expect(e.message.contains("import cycle"))
        #expect(e.message.contains("catalog/a.yaml -> "))
        #expect(e.location?.file == "stacks/catalog/b.yaml")
    }

    @Test func missingImportNamesTheEntry() throws {
        let e = try error(["stacks/deploy/dev.yaml": "vars: {}\nimport:\n  - catalog/nope\n"]) { _ = try $0.allComponents() }
        #expect(e.message.contains("import \"catalog/nope\" not found"))
        #expect(e.location?.line == 3)
        #expect(e.location?.column == 5)
    }

    @Test func inheritanceCycleIsReported() throws {
        let e = try error([
            "stacks/deploy/dev.yaml": "components:\n  terraform:\n    a: {metadata: {inherits: [b]}}\n    b: {metadata: {inherits: [a]}}\n"
        ]) { _ = try $0.component("a", stack: "deploy/dev") }
        #expect(e.message.contains("inheritance cycle: a -> b -> a"))
    }

    @Test func missingBaseComponentIsReported() throws {
        let e = try error([
            "stacks/deploy/dev.yaml": "components:\n  terraform:\n    a: {metadata: {inherits: [bse]}}\n    base: {}\n"
        ]) { _ = try $0.component("a", stack: "deploy/dev") }
        #expect(e.message.contains("inherits from \"bse\", which is not defined"))
        #expect(e.message.contains("did you mean \"base\""))
        #expect(e.location?.line == 3)
    }

    @Test func unknownStackAndComponentSuggest() throws {
        let files = ["stacks/deploy/dev.yaml": "components:\n  terraform:\n    vpc: {}\n"]
        let s = try error(files) { _ = try $0.component("vpc", stack: "deploy/dve") }
        #expect(s.message.contains("did you mean \"deploy/dev\""))
        let c = try error(files) { _ = try $0.component("vcp", stack: "deploy/dev") }
        #expect(c.message.contains("could not find the component \"vcp\""))
        #expect(c.message.contains("did you mean \"vpc\""))
    }

    @Test func templateErrorNamesTheTemplate() throws {
        let e = try error([
            "stacks/deploy/dev.yaml": "import: [catalog/t]\n",
            "stacks/catalog/t.yaml.tmpl": "vars:\n  x: {{ .missing.key }}\n",
        ]) { _ = try $0.allComponents() }
        #expect(e.description.contains("stacks/catalog/t.yaml.tmpl"))
    }

    @Test func duplicateStackNamesAreAnError() throws {
        let repo = try TestRepo([
            "atmos.yaml": "stacks:\n  base_path: stacks\n  name_pattern: \"{stage}\"\n",
            "stacks/a.yaml": "vars: {stage: dev}\ncomponents: {terraform: {x: {}}}\n",
            "stacks/b.yaml": "vars: {stage: dev}\ncomponents: {terraform: {y: {}}}\n",
        ])
        let e = try #require(captureError { _ = try repo.catalog().entries() })
        #expect(e.message.contains("duplicate stack name \"dev\""))
    }

    @Test func unknownYAMLFunctionNamesItsLocation() throws {
        let e = try error(["stacks/deploy/dev.yaml": "vars:\n  a: !bogus x\n"]) { _ = try $0.entries() }
        #expect(e.message.contains("unknown YAML function !bogus"))
        #expect(e.location?.line == 2)
    }

    @Test func scopeConflictIsAnError() throws {
        let e = try error([
            "stacks/deploy/dev.yaml": "components:\n  terraform:\n    api:\n      secrets:\n        vars:\n          X: {store: s, scope: stack}\n"
        ]) { _ = try $0.component("api", stack: "deploy/dev") }
        #expect(e.message.contains("secret scope conflicts with declaration position"))
        #expect(e.location?.line == 6)
    }

    @Test func missingConfigSaysWhereItLooked() throws {
        let repo = try TestRepo(["stacks/x.yaml": "vars: {}\n"])
        let e = try #require(captureError { _ = try repo.catalog() })
        #expect(e.message.contains("no atmos.yaml found"))
    }
}
