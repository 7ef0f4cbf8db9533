import Core
import YAML

/// A manifest with all of its imports merged in (depth-first, importer last).
struct ProcessedManifest {
    /// The merged sections, without `import` and `overrides`.
    var document: Node
    /// Override layers per component type and instance, lowest precedence first. Each file's `overrides` apply only
    /// to the components defined in that file and its imports.
    var overrides: [String: [String: [Node]]]
    /// Every file merged, in merge order (the manifest itself last).
    var files: [String]
}
