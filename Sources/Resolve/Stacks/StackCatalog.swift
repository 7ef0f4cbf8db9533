public import Core
public import YAML

/// Every stack of an Atmos repository: discovers top-level manifests, names them, and resolves components.
public final class StackCatalog {
    /// The loaded configuration.
    public let config: AtmosConfig
    let environment: Environment
    let processor: ManifestProcessor
    private var cachedEntries: [StackEntry]?

    /// Creates a catalog over a loaded configuration.
    public init(config: AtmosConfig, environment: Environment = .process) {
        self.config = config
        self.environment = environment
        self.processor = ManifestProcessor(config: config, environment: environment)
    }

    /// Top-level manifests: files under the stacks base matching `included_paths` and no `excluded_paths`.
    public func manifestFiles() -> [String] {
        let root = config.stacksBasePath
        let included = config.includedPaths.map(Glob.init)
        let excluded = config.excludedPaths.map(Glob.init)
        var files: [String] = []
        for rel in FileSystem.walk(root) where ManifestProcessor.isManifest(rel) {
            let bare = ManifestProcessor.stripManifestExtension(rel)
            guard included.contains(where: { $0.matches(rel) || $0.matches(bare) }) else { continue }
            if excluded.contains(where: { $0.matches(rel) || $0.matches(bare) }) { continue }
            files.append(Path.join(root, rel))
        }
        return files
    }

    /// Every stack with its canonical name, sorted by name. Two manifests with one name are an error.
    public func entries() throws(CloakError) -> [StackEntry] {
        if let cachedEntries { return cachedEntries }
        guard FileSystem.isDirectory(config.stacksBasePath) else {
            throw CloakError(
                .config, "stacks directory \(config.display(config.stacksBasePath)) does not exist (check stacks.base_path and base_path in atmos.yaml)")
        }
        let cache = StackIndexCache(config: config, environment: environment)
        if let cached = cache?.load() {
            cachedEntries = cached
            return cached
        }
        var byName: [String: StackEntry] = [:]
        for file in manifestFiles() {
            let pathName = ManifestProcessor.stripManifestExtension(Path.relative(file, to: config.stacksBasePath))
            guard let name = try stackName(file: file, pathName: pathName) else { continue }
            if let other = byName[name] {
                throw CloakError(
                    .config, "duplicate stack name \"\(name)\": both \(config.display(other.file)) and \(config.display(file)) produce it (give one a distinct name: or vars)")
            }
            byName[name] = StackEntry(name: name, file: file, pathName: pathName)
        }
        let sorted = byName.values.sorted { $0.name < $1.name }
        cachedEntries = sorted
        if !processor.sawDynamicContent && !(config.nameTemplate ?? "").contains("env") { cache?.store(sorted) }
        return sorted
    }

    /// The stack called `name`; unknown names get a "did you mean" hint.
    public func entry(named name: String) throws(CloakError) -> StackEntry {
        let all = try entries()
        if let hit = all.first(where: { $0.name == name }) { return hit }
        if let byPath = all.first(where: { $0.pathName == name || config.display($0.file) == name }) {
            throw CloakError(.notFound, "invalid stack: stack \"\(name)\" not found (did you mean \"\(byPath.name)\"? -s takes the canonical stack name)")
        }
        throw CloakError(.notFound, "invalid stack: stack \"\(name)\" not found\(Suggestion.hint(for: name, in: all.map(\.name)))")
    }

    /// The merged stack (all imports applied).
    func manifest(_ entry: StackEntry) throws(CloakError) -> ProcessedManifest {
        try processor.process(entry.file)
    }

    /// Names a manifest: its own `name:`, else `name_template`, else `name_pattern`, else its path. Returns nil for a
    /// manifest that defines no components and cannot be named by the pattern (a shared defaults file).
    private func stackName(file: String, pathName: String) throws(CloakError) -> String? {
        let own = try processor.load(file, context: nil, skipTemplates: false)
        if let name = own["name"]?.scalarText, !(own["name"]?.isNull ?? true), !name.isEmpty { return name }
        if config.nameTemplate == nil && config.namePattern == nil { return pathName }
        let merged = try processor.process(file).document
        if let template = config.nameTemplate {
            let rendered = try GoTemplate(template, name: "stacks.name_template").render(merged, environment: nil)
            let name = rendered.trimmingWhitespace()
            if name.isEmpty || name.contains("<no value>") {
                throw CloakError(.config, "stacks.name_template rendered an empty stack name for \(config.display(file))")
            }
            return name
        }
        guard let pattern = config.namePattern else { return pathName }
        var name = ""
        var token = ""
        var inToken = false
        for c in pattern {
            if c == "{" {
                inToken = true
                token = ""
            } else if c == "}" && inToken {
                inToken = false
                guard let value = merged["vars"]?[token], let text = value.scalarText, !value.isNull, !text.isEmpty else {
                    if (merged["components"]?.pairs ?? []).allSatisfy({ $0.value.keys.isEmpty }) { return nil }
                    throw CloakError(
                        .config, "stack manifest \(config.display(file)) has no vars.\(token), which stacks.name_pattern \"\(pattern)\" needs (set it, or exclude the file with stacks.excluded_paths)")
                }
                name += text
            } else if inToken {
                token.append(c)
            } else {
                name.append(c)
            }
        }
        return name
    }
}
