import Core
import YAML

/// A persistent index of stack names → manifests, so naming 300 stacks does not mean merging 300 import trees on
/// every run. Valid only while every file under the stacks base and every atmos.yaml keeps its size and mtime, and
/// never written when naming depended on something outside the files (templates, `!env`, `!exec`, `!include`).
struct StackIndexCache {
    static let formatVersion = "1"
    let path: String
    let fingerprint: String

    /// The cache for `config`, or nil when there is nowhere to keep it.
    init?(config: AtmosConfig, environment: Environment) {
        guard environment["CLOAK_NO_CACHE"] == nil else { return nil }
        var key = [StackIndexCache.formatVersion, config.stacksBasePath, config.namePattern ?? "", config.nameTemplate ?? ""]
        key += config.includedPaths + ["|"] + config.excludedPaths
        let digest = SHA256.hexDigest(Array(key.joined(separator: "\u{0}").utf8))
        path = Path.join(environment.cacheHome, "cloak/stack-index-\(digest.prefix(24)).json")
        var parts: [String] = []
        for file in config.files {
            guard let f = FileSystem.fingerprint(file) else { return nil }
            parts.append("\(file):\(f.mtimeNanos):\(f.size)")
        }
        for rel in FileSystem.walk(config.stacksBasePath) {
            guard let f = FileSystem.fingerprint(Path.join(config.stacksBasePath, rel)) else { return nil }
            parts.append("\(rel):\(f.mtimeNanos):\(f.size)")
        }
        fingerprint = SHA256.hexDigest(Array(parts.joined(separator: "\n").utf8))
    }

    /// The cached entries when the fingerprint still matches.
    func load() -> [StackEntry]? {
        guard let text = try? FileSystem.readText(path), let doc = try? JSON.parse(text, file: path),
            doc["fingerprint"]?.scalarText == fingerprint, let items = doc["entries"]?.items
        else { return nil }
        var entries: [StackEntry] = []
        for item in items {
            guard let name = item["name"]?.scalarText, let file = item["file"]?.scalarText, let pathName = item["path_name"]?.scalarText
            else { return nil }
            entries.append(StackEntry(name: name, file: file, pathName: pathName))
        }
        return entries
    }

    /// Stores the entries (best effort: a cache that cannot be written is simply not used).
    func store(_ entries: [StackEntry]) {
        let doc = Node.mapping([
            "fingerprint": .string(fingerprint),
            "entries": .sequence(entries.map { .mapping(["name": .string($0.name), "file": .string($0.file), "path_name": .string($0.pathName)]) }),
        ])
        do {
            try FileSystem.createDirectories(Path.dirname(path), mode: 0o700)
            try AtomicFile.write(path: path, bytes: Array(JSON.serialize(doc, options: JSONOptions(indent: nil)).utf8), mode: 0o600)
        } catch {
            return
        }
    }
}
