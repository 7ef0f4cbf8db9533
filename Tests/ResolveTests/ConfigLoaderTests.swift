import Core
import Resolve
import Testing

@Suite struct ConfigLoaderTests {
    private func load(_ repo: TestRepo, cwd: String? = nil, env: [String: String] = [:], flags: [String] = [], basePath: String? = nil)
        throws -> AtmosConfig
    {
        let environment = Environment(["HOME": Path.join(repo.root, "home")].merging(env) { $1 })
        return try ConfigLoader.load(
            ConfigOptions(configPaths: flags, basePath: basePath, workingDirectory: cwd ?? repo.root, environment: environment))
    }

    @Test func findsConfigInParentDirectoriesAndGitRoot() throws {
        let repo = try TestRepo(["atmos.yaml": "base_path: .\n", "a/b/c/.keep": "", ".git/HEAD": "ref: x\n"])
        let config = try load(repo, cwd: Path.join(repo.root, "a/b/c"))
        #expect(config.configDirectory == repo.root)
        #expect(config.basePath == repo.root)
        #expect(config.gitRoot == repo.root)
        #expect(config.stacksBasePath == Path.join(repo.root, "stacks"))
    }

    @Test func explicitPathsWinAndSkipTheSearch() throws {
        let repo = try TestRepo([
            "atmos.yaml": "stacks: {base_path: from-cwd}\n",
            "other/atmos.yaml": "stacks: {base_path: from-flag}\n",
            "envdir/atmos.yaml": "stacks: {base_path: from-env}\n",
        ])
        #expect(try load(repo).stacksBasePath.hasSuffix("/from-cwd"))
        #expect(try load(repo, flags: ["other"]).stacksBasePath.hasSuffix("/other/from-flag"))
        #expect(try load(repo, env: ["ATMOS_CLI_CONFIG_PATH": Path.join(repo.root, "envdir")]).stacksBasePath.hasSuffix("/envdir/from-env"))
        #expect(try load(repo, env: ["ATMOS_CLI_CONFIG_PATH": "envdir"], flags: ["other/atmos.yaml"]).stacksBasePath.hasSuffix("/from-flag"))
        let missing = captureError { _ = try load(repo, flags: ["nope"]) }
        #expect(missing?.message == "--config-path: nope does not exist")
    }

    @Test func homeConfigIsMergedUnderTheProjectConfig() throws {
        let repo = try TestRepo([
            "home/.atmos/atmos.yaml": "stacks: {base_path: home-stacks, name_pattern: \"{stage}\"}\nenv: {FROM_HOME: \"1\"}\n",
            "project/atmos.yaml": "stacks: {base_path: project-stacks}\n",
        ])
        let config = try load(repo, cwd: Path.join(repo.root, "project"))
        #expect(config.stacksBasePath.hasSuffix("/project-stacks"))
        #expect(config.namePattern == "{stage}")
        #expect(config.env.map(\.name) == ["FROM_HOME"])
    }

    @Test func autoImportsFromAtmosDDirectoriesAndImportKey() throws {
        let repo = try TestRepo([
            "atmos.yaml": "import: [extra/*.yaml]\nstacks: {base_path: main}\nsettings: {list_merge_strategy: append}\n",
            ".atmos.d/10-stacks.yaml": "stacks: {base_path: from-atmos-d, name_pattern: \"{tenant}\"}\n",
            "atmos.d/20-env.yaml": "env: {A: \"1\"}\n",
            "extra/x.yaml": "env: {B: \"2\"}\n",
        ])
        let config = try load(repo)
        #expect(config.stacksBasePath.hasSuffix("/main"))  // the main file merges last
        #expect(config.namePattern == "{tenant}")
        #expect(config.env.map(\.name).sorted() == ["A", "B"])
        #expect(config.listMergeStrategy == .append)
    }

    @Test(arguments: [
        ("", "gitroot"),
        (".", "config"),
        ("./sub", "config/sub"),
        ("..", "gitroot"),
        ("infra", "gitroot/infra"),
        ("missing-dir", "config/missing-dir"),
    ])
    func basePathRules(value: String, expected: String) throws {
        let repo = try TestRepo([".git/HEAD": "x\n", "infra/.keep": "", "config/atmos.yaml": "base_path: \"\(value)\"\n"])
        let config = try load(repo, cwd: Path.join(repo.root, "config"))
        let want = Path.normalize(expected.replacingFirst("gitroot", with: repo.root).replacingFirst("config", with: Path.join(repo.root, "config")))
        #expect(config.basePath == want)
    }

    @Test func environmentAndFlagOverrides() throws {
        let repo = try TestRepo([
            "atmos.yaml": "base_path: .\nstacks: {base_path: stacks, included_paths: [a/**], name_pattern: \"{stage}\"}\ncomponents: {terraform: {base_path: tf}}\n"
        ])
        let config = try load(
            repo,
            env: [
                "ATMOS_STACKS_INCLUDED_PATHS": "x/*,y/**", "ATMOS_STACKS_NAME_PATTERN": "{tenant}-{stage}",
                "ATMOS_COMPONENTS_TERRAFORM_BASE_PATH": "modules",
            ], basePath: "/srv/infra")
        #expect(config.basePath == "/srv/infra")
        #expect(config.stacksBasePath == "/srv/infra/stacks")
        #expect(config.includedPaths == ["x/*", "y/**"])
        #expect(config.namePattern == "{tenant}-{stage}")
        #expect(config.componentBasePath(for: "terraform") == "/srv/infra/modules")
        #expect(config.componentBasePath(for: "helmfile") == "/srv/infra/components/helmfile")
    }

    @Test func yamlFunctionsWorkInAtmosYAML() throws {
        let repo = try TestRepo(["atmos.yaml": "stacks: {base_path: !env CLOAK_STACKS_DIR}\n"])
        let config = try load(repo, env: ["CLOAK_STACKS_DIR": "custom"])
        #expect(config.stacksBasePath.hasSuffix("/custom"))
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        hasPrefix(target) ? replacement + dropFirst(target.count) : self
    }
}
