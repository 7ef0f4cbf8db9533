public import Core
import YAML

/// Loads and merges `atmos.yaml` (with `.atmos.d/`, `atmos.d/` and `import:`), then resolves every path.
public enum ConfigLoader {
    /// Loads the configuration for `options`. Without any `atmos.yaml` the error says where cloak looked.
    public static func load(_ options: ConfigOptions) throws(CloakError) -> AtmosConfig {
        let cwd = options.workingDirectory
        let env = options.environment
        let gitRoot = ConfigLocator.gitRoot(from: cwd)
        let (files, main) = try ConfigLocator.locate(options, gitRoot: gitRoot)
        guard let main else {
            throw CloakError(
                .notFound,
                "no atmos.yaml found in \(cwd), the git root or any parent directory (pass --config-path or set ATMOS_CLI_CONFIG_PATH)"
            )
        }
        var loaded: [String] = []
        var document = Node.mapping([], location: nil)
        for file in files {
            var visiting: [String] = []
            let node = try loadWithImports(file, gitRoot: gitRoot, options: options, visiting: &visiting, loaded: &loaded)
            document = DeepMerge.merge(document, node)
        }
        let configDirectory = Path.dirname(main)
        return try resolve(document, files: loaded, configDirectory: configDirectory, gitRoot: gitRoot, options: options, env: env)
    }

    private static func loadWithImports(
        _ file: String, gitRoot: String?, options: ConfigOptions, visiting: inout [String], loaded: inout [String]
    ) throws(CloakError) -> Node {
        if visiting.contains(file) {
            throw CloakError(.config, "atmos.yaml import cycle: \((visiting + [file]).joined(separator: " -> "))")
        }
        visiting.append(file)
        defer { visiting.removeLast() }
        let directory = Path.dirname(file)
        let text = try FileSystem.readText(file)
        var node = try YAMLLoader.loadSingle(text, file: Path.relative(file, to: options.workingDirectory))
        if node.isNull { node = .mapping([], location: node.location) }
        guard node.isMapping else {
            throw CloakError(.config, "atmos.yaml must be a mapping", at: node.location)
        }
        let functions = YAMLFunctions(
            basePath: directory, gitRoot: gitRoot, workingDirectory: options.workingDirectory,
            environment: options.environment,
            include: { (path, raw, at) throws(CloakError) -> Node in
                try IncludeLoader.load(path, raw: raw, at: at)
            })
        node = try functions.apply(node, file: file)
        var imports: [String] = []
        for dir in [".atmos.d", "atmos.d"] {
            let root = Path.join(directory, dir)
            guard FileSystem.isDirectory(root) else { continue }
            for rel in FileSystem.walk(root) where rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
                imports.append(Path.join(root, rel))
            }
        }
        if let list = node["import"] {
            let entries = list.items ?? [list]
            for entry in entries {
                guard let raw = entry.scalarText else {
                    throw CloakError(.config, "atmos.yaml import entries must be paths", at: entry.location)
                }
                let pattern = Path.absolute(raw, relativeTo: directory)
                if Glob.isPattern(raw) {
                    let base = Path.dirname(String(pattern.prefix(while: { !"*?[{".contains($0) })) + "x")
                    let glob = Glob(pattern)
                    for rel in FileSystem.walk(base) where glob.matches(Path.join(base, rel)) {
                        imports.append(Path.join(base, rel))
                    }
                } else if FileSystem.isFile(pattern) {
                    imports.append(pattern)
                } else {
                    throw CloakError(.notFound, "atmos.yaml import \"\(raw)\" not found", at: entry.location)
                }
            }
            node["import"] = nil
        }
        var merged = Node.mapping([], location: node.location)
        for path in imports {
            merged = DeepMerge.merge(merged, try loadWithImports(path, gitRoot: gitRoot, options: options, visiting: &visiting, loaded: &loaded))
        }
        loaded.append(file)
        return DeepMerge.merge(merged, node)
    }

    private static func resolve(
        _ doc: Node, files: [String], configDirectory: String, gitRoot: String?, options: ConfigOptions, env: Environment
    ) throws(CloakError) -> AtmosConfig {
        let cwd = options.workingDirectory
        let basePath: String
        if let flag = options.basePath ?? env.nonEmpty("ATMOS_BASE_PATH") {
            basePath = Path.absolute(env.expandPath(flag), relativeTo: cwd)
        } else {
            basePath = resolveBasePath(string(doc["base_path"]) ?? "", configDirectory: configDirectory, gitRoot: gitRoot)
        }
        let stacks = doc["stacks"]
        let stacksBase = env.nonEmpty("ATMOS_STACKS_BASE_PATH") ?? string(stacks?["base_path"]) ?? "stacks"
        func list(_ key: String, _ envName: String, _ fallback: [String]) throws(CloakError) -> [String] {
            if let fromEnv = env.nonEmpty(envName) { return fromEnv.split(separator: ",").map { String($0).trimmingWhitespace() } }
            guard let node = stacks?[key] else { return fallback }
            if node.isNull { return fallback }
            guard let items = node.items else {
                throw CloakError(.config, "stacks.\(key) must be a list of globs", at: node.location)
            }
            return items.compactMap { $0.scalarText }
        }
        var componentBases: [String: String] = [:]
        for pair in doc["components"]?.pairs ?? [] {
            guard let type = pair.key.scalarText else { continue }
            let envName = "ATMOS_COMPONENTS_\(type.uppercased())_BASE_PATH"
            if let path = env.nonEmpty(envName) ?? string(pair.value["base_path"]) {
                componentBases[type] = Path.absolute(path, relativeTo: basePath)
            }
        }
        var envPairs: [(name: String, value: String)] = []
        for pair in doc["env"]?.pairs ?? [] {
            guard let name = pair.key.scalarText else { continue }
            envPairs.append((name, pair.value.scalarText ?? ""))
        }
        var strategy = ListMergeStrategy.replace
        if let node = doc["settings"]?["list_merge_strategy"], !node.isNull { strategy = try ListMergeStrategy(node: node) }
        let inherit = doc["stacks"]?["inherit"]?["metadata"]?.scalarText.map { $0 != "false" } ?? true
        return AtmosConfig(
            document: doc, files: files, configDirectory: configDirectory, workingDirectory: cwd, gitRoot: gitRoot,
            basePath: basePath, stacksBasePath: Path.absolute(stacksBase, relativeTo: basePath),
            includedPaths: try list("included_paths", "ATMOS_STACKS_INCLUDED_PATHS", ["**/*"]),
            excludedPaths: try list("excluded_paths", "ATMOS_STACKS_EXCLUDED_PATHS", []),
            namePattern: env.nonEmpty("ATMOS_STACKS_NAME_PATTERN") ?? string(stacks?["name_pattern"]),
            nameTemplate: env.nonEmpty("ATMOS_STACKS_NAME_TEMPLATE") ?? string(stacks?["name_template"]),
            componentBasePaths: componentBases, env: envPairs, listMergeStrategy: strategy, inheritMetadata: inherit)
    }

    /// Atmos's `base_path` rules: `.`/`..`/`./x`/`../x` are relative to the atmos.yaml directory; a bare `x` is
    /// git root + `x` (falling back to the config directory); empty means the git root (or the config directory).
    static func resolveBasePath(_ value: String, configDirectory: String, gitRoot: String?) -> String {
        if value.hasPrefix("/") { return Path.normalize(value) }
        if value.isEmpty { return gitRoot ?? configDirectory }
        if value == "." || value == ".." || value.hasPrefix("./") || value.hasPrefix("../") {
            return Path.absolute(value, relativeTo: configDirectory)
        }
        if let gitRoot, FileSystem.exists(Path.join(gitRoot, value)) { return Path.absolute(value, relativeTo: gitRoot) }
        return Path.absolute(value, relativeTo: configDirectory)
    }

    private static func string(_ node: Node?) -> String? {
        guard let node, !node.isNull else { return nil }
        return node.scalarText
    }
}
