import Core
import YAML

/// One entry of a manifest's `import:` list.
struct ImportSpec {
    /// The path or glob as written.
    var path: String
    /// Template context for the imported file(s).
    var context: Node?
    /// Whether a missing file is silently skipped.
    var skipIfMissing: Bool
    /// Whether `.tmpl` rendering is skipped.
    var skipTemplates: Bool
    /// Where the entry is written.
    var location: SourceLocation?

    /// Parses the `import:` value of a manifest (a string, or a list of strings and `{path, context, …}` maps).
    static func parse(_ node: Node?) throws(CloakError) -> [ImportSpec] {
        guard let node, !node.isNull else { return [] }
        let entries = node.items ?? [node]
        var specs: [ImportSpec] = []
        for entry in entries {
            if let text = entry.scalarText, !entry.isNull {
                specs.append(ImportSpec(path: text, context: nil, skipIfMissing: false, skipTemplates: false, location: entry.location))
            } else if entry.isMapping {
                guard let path = entry["path"]?.scalarText, !path.isEmpty else {
                    throw CloakError(.config, "import entry needs a path", at: entry.location)
                }
                let context = entry["context"].flatMap { $0.isNull ? nil : $0 }
                if let context, !context.isMapping {
                    throw CloakError(.config, "import context must be a mapping", at: context.location)
                }
                specs.append(
                    ImportSpec(
                        path: path, context: context,
                        skipIfMissing: entry["skip_if_missing"]?.boolValue ?? false,
                        skipTemplates: entry["skip_templates_processing"]?.boolValue ?? false,
                        location: entry.location))
            } else {
                throw CloakError(.config, "import entries must be paths or {path, context} mappings", at: entry.location)
            }
        }
        return specs
    }
}
