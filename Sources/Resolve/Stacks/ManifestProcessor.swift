import Core
import YAML

/// Loads stack manifests and resolves their imports, caching each file's subtree within one run.
final class ManifestProcessor {
    let config: AtmosConfig
    let environment: Environment
    private var cache: [String: ProcessedManifest] = [:]
    private var parsed: [String: Node] = [:]
    /// Whether any manifest read so far was rendered as a template or used a function whose result does not come
    /// from the repository's files (`!env`, `!exec`, `!include`, `!repo-root`, `!cwd`): names then cannot be cached.
    private(set) var sawDynamicContent = false
    /// Decrypts `*.sops.yaml|yml|json` manifests and includes (set by the composition root; see EncryptedManifests).
    var decryptor: SopsDecryptor?
    /// String leaves of every decrypted manifest, for masking and var-file scrubbing.
    var decryptedValues: [SecretBytes] = []
    /// Display names of the decrypted files (their nodes' `location.file`).
    var encryptedFiles: Set<String> = []

    init(config: AtmosConfig, environment: Environment) {
        self.config = config
        self.environment = environment
    }

    /// The manifest at `path` (absolute) with its imports merged.
    func process(_ path: String, context: Node? = nil, skipTemplates: Bool = false) throws(CloakError) -> ProcessedManifest {
        var chain: [String] = []
        return try process(path, context: context, skipTemplates: skipTemplates, chain: &chain, importedAt: nil)
    }

    private func process(
        _ path: String, context: Node?, skipTemplates: Bool, chain: inout [String], importedAt: SourceLocation?
    ) throws(CloakError) -> ProcessedManifest {
        if chain.contains(path) {
            let cycle = (chain + [path]).map { config.display($0) }.joined(separator: " -> ")
            throw CloakError(.config, "import cycle: \(cycle)", at: importedAt)
        }
        let key = context.map { path + "\u{0}" + JSON.serialize($0, options: JSONOptions(indent: nil, sortKeys: true)) } ?? path
        if let hit = cache[key] { return hit }
        chain.append(path)
        defer { chain.removeLast() }

        var own = try load(path, context: context, skipTemplates: skipTemplates)
        let imports = try ImportSpec.parse(own["import"])
        own["import"] = nil

        var merged = Node.mapping([], location: own.location)
        var overrides: [String: [String: [Node]]] = [:]
        var files: [String] = []
        for spec in imports {
            let targets = try resolve(spec, from: path)
            for target in targets {
                let childContext = DeepMerge.merge([context, spec.context])
                let child = try process(
                    target, context: childContext, skipTemplates: spec.skipTemplates, chain: &chain, importedAt: spec.location)
                merged = DeepMerge.merge(merged, child.document, lists: config.listMergeStrategy)
                for (type, byComponent) in child.overrides {
                    for (component, layers) in byComponent { overrides[type, default: [:]][component, default: []] += layers }
                }
                for file in child.files where !files.contains(file) { files.append(file) }
            }
        }
        // This file's overrides (global, then per type, which wins) apply to every component in its subtree.
        let globalOverrides = own["overrides"]
        own["overrides"] = nil
        var typeOverrides: [String: Node] = [:]
        for type in ComponentType.builtIn + customTypes(own) {
            if let section = own[type], section.isMapping, let o = section["overrides"] {
                typeOverrides[type] = o
                var stripped = section
                stripped["overrides"] = nil
                own[type] = stripped
            }
        }
        merged = DeepMerge.merge(merged, own, lists: config.listMergeStrategy)
        if globalOverrides != nil || !typeOverrides.isEmpty {
            for pair in merged["components"]?.pairs ?? [] {
                guard let type = pair.key.scalarText else { continue }
                for component in pair.value.keys {
                    if let g = globalOverrides { overrides[type, default: [:]][component, default: []].append(g) }
                    if let t = typeOverrides[type] { overrides[type, default: [:]][component, default: []].append(t) }
                }
            }
        }
        files.append(path)
        let result = ProcessedManifest(document: merged, overrides: overrides, files: files)
        cache[key] = result
        return result
    }

    private func customTypes(_ doc: Node) -> [String] {
        (doc["components"]?.keys ?? []).filter { !ComponentType.builtIn.contains($0) }
    }

    /// Reads, renders (for `.tmpl` files or imports with a context) and parses one manifest, applying YAML functions.
    func load(_ path: String, context: Node?, skipTemplates: Bool) throws(CloakError) -> Node {
        let isTemplate = path.hasSuffix(".tmpl")
        let render = !skipTemplates && (isTemplate || context != nil)
        if !render, let hit = parsed[path] { return hit }
        let display = config.display(path)
        var text = try FileSystem.readText(path)
        if Self.isEncrypted(path) {
            text = try decryptManifest(path, display: display)
            sawDynamicContent = true  // names derived from decrypted vars must not reach the index cache
        }
        if render || LoadTimeTags.present(in: text) { sawDynamicContent = true }
        if render {
            let template = try GoTemplate(text, name: display)
            text = try template.render(context ?? .mapping([]), environment: nil)
        }
        var node = try YAMLLoader.loadSingle(text, file: display)
        if node.isNull { node = .mapping([], location: node.location) }
        guard node.isMapping else {
            throw CloakError(.config, "a stack manifest must be a mapping of sections (vars, components, import, …)", at: node.location)
        }
        let functions = YAMLFunctions(
            basePath: config.basePath, gitRoot: config.gitRoot, workingDirectory: config.workingDirectory,
            environment: environment,
            include: { (target, raw, at) throws(CloakError) -> Node in
                if Self.isEncrypted(target) { return try self.includeEncrypted(target, raw: raw, at: at) }
                return try IncludeLoader.load(target, raw: raw, at: at)
            })
        node = try functions.apply(node, file: path)
        if !render { parsed[path] = node }
        return node
    }

    /// The files an import entry refers to: globs expanded, extensions inferred (`.tmpl` preferred).
    private func resolve(_ spec: ImportSpec, from importer: String) throws(CloakError) -> [String] {
        let raw = spec.path
        if raw.contains("://") {
            throw CloakError(.config, "import \"\(raw)\": remote imports are not supported; vendor the file locally", at: spec.location)
        }
        let base = raw.hasPrefix("./") || raw.hasPrefix("../") ? Path.dirname(importer) : config.stacksBasePath
        let full = Path.absolute(raw, relativeTo: base)
        if Glob.isPattern(raw) {
            let root = Path.dirname(String(full.prefix(while: { !"*?[{".contains($0) })) + "x")
            let glob = Glob(full)
            var matches: [String] = []
            for rel in FileSystem.walk(root) {
                let candidate = Path.join(root, rel)
                guard ManifestProcessor.isManifest(candidate) else { continue }
                if glob.matches(candidate) || glob.matches(ManifestProcessor.stripManifestExtension(candidate)) {
                    matches.append(candidate)
                }
            }
            if matches.isEmpty && !spec.skipIfMissing {
                throw CloakError(.notFound, "import \"\(raw)\" matched no manifests under \(config.display(root))", at: spec.location)
            }
            return matches
        }
        let candidates: [String]
        if ManifestProcessor.isManifest(full) {
            candidates = [full + ".tmpl", full]
        } else {
            candidates = [".yaml.tmpl", ".yml.tmpl", ".yaml", ".yml"].map { full + $0 } + [full]
        }
        for candidate in candidates where FileSystem.isFile(candidate) { return [candidate] }
        if spec.skipIfMissing { return [] }
        throw CloakError(
            .notFound, "import \"\(raw)\" not found (looked for \(config.display(full)) with .yaml, .yml and .tmpl extensions)",
            at: spec.location)
    }

    /// Whether the file name has a manifest extension.
    static func isManifest(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml") || path.hasSuffix(".yaml.tmpl") || path.hasSuffix(".yml.tmpl")
            || path.hasSuffix(".sops.json")
    }

    /// The path without `.yaml`, `.yml` and `.tmpl`.
    static func stripManifestExtension(_ path: String) -> String {
        var p = Path.dropSuffix(path, ".tmpl")
        p = Path.dropSuffix(p, ".yaml")
        p = Path.dropSuffix(p, ".yml")
        if p.hasSuffix(".sops.json") { p = Path.dropSuffix(p, ".json") }
        return Path.dropSuffix(p, ".sops")
    }
}
