import Core
import Resolve
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct StackIndexCacheTests {
    static let atmos = "stacks:\n  base_path: stacks\n  name_pattern: \"{stage}\"\n"

    private func cacheFiles(_ repo: TestRepo) -> [String] {
        FileSystem.list(Path.join(repo.root, ".cache/cloak"))
    }

    @Test func namesAreCachedAndInvalidatedWhenAFileChanges() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/a.yaml": "vars: {stage: dev}\ncomponents: {terraform: {x: {}}}\n",
        ])
        #expect(try repo.catalog().entries().map(\.name) == ["dev"])
        #expect(cacheFiles(repo).count == 1)
        #expect(try repo.catalog().entries().map(\.name) == ["dev"])
        // Same size, new content: the mtime changes, so the index is rebuilt.
        usleep(10_000)
        try repo.write("stacks/a.yaml", "vars: {stage: qa1}\ncomponents: {terraform: {x: {}}}\n")
        #expect(try repo.catalog().entries().map(\.name) == ["qa1"])
        // A new manifest appears in the index too.
        try repo.write("stacks/b.yaml", "vars: {stage: prod}\ncomponents: {terraform: {y: {}}}\n")
        #expect(try repo.catalog().entries().map(\.name) == ["prod", "qa1"])
    }

    @Test func dynamicManifestsAreNeverCached() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/a.yaml": "vars: {stage: !env STAGE_FOR_TEST}\ncomponents: {terraform: {x: {}}}\n",
        ])
        #expect(try repo.catalog(environment: ["STAGE_FOR_TEST": "one"]).entries().map(\.name) == ["one"])
        #expect(cacheFiles(repo).isEmpty)
        #expect(try repo.catalog(environment: ["STAGE_FOR_TEST": "two"]).entries().map(\.name) == ["two"])
    }
}
