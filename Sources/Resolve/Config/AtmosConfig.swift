public import Core
public import YAML

/// The merged `atmos.yaml` with every path resolved to an absolute one.
public struct AtmosConfig: Sendable {
    /// The merged configuration document (YAML functions already applied).
    public var document: Node
    /// The files that were merged, lowest precedence first.
    public var files: [String]
    /// Directory of the main `atmos.yaml` (or the working directory when none was found).
    public var configDirectory: String
    /// The working directory cloak was started in.
    public var workingDirectory: String
    /// The git repository root around the working directory, when there is one.
    public var gitRoot: String?
    /// Absolute `base_path`.
    public var basePath: String
    /// Absolute `stacks.base_path`.
    public var stacksBasePath: String
    /// `stacks.included_paths` globs, relative to the stacks base.
    public var includedPaths: [String]
    /// `stacks.excluded_paths` globs, relative to the stacks base.
    public var excludedPaths: [String]
    /// `stacks.name_pattern`, e.g. `{tenant}-{environment}-{stage}`.
    public var namePattern: String?
    /// `stacks.name_template`, a Go template over the stack's sections.
    public var nameTemplate: String?
    /// Absolute `components.<type>.base_path` per component type.
    public var componentBasePaths: [String: String]
    /// Top-level `env:` in file order.
    public var env: [(name: String, value: String)]
    /// `settings.list_merge_strategy`.
    public var listMergeStrategy: ListMergeStrategy
    /// `stacks.inherit.metadata` (default true).
    public var inheritMetadata: Bool

    /// The component base path for a type (`components/<type>` under `base_path` by default).
    public func componentBasePath(for type: String) -> String {
        componentBasePaths[type] ?? Path.join(basePath, "components/\(type)")
    }

    /// A path relative to the working directory when it lies inside it, for messages.
    public func display(_ path: String) -> String {
        Path.relative(path, to: workingDirectory)
    }
}

/// The component types cloak knows, in the order `--type` inference tries them.
public enum ComponentType {
    /// Built-in types in lookup order.
    public static let builtIn = ["terraform", "helmfile", "packer", "ansible"]
}
