public import Core
public import YAML

/// One component instance in one stack with every layer merged.
public struct ResolvedComponent: Sendable {
    /// Canonical stack name.
    public var stack: String
    /// The stack's top-level manifest (absolute).
    public var stackFile: String
    /// Component type (`terraform`, `helmfile`, …).
    public var type: String
    /// Instance key as written under `components.<type>`.
    public var name: String
    /// The component directory name (`metadata.component`, else the instance key).
    public var componentPath: String
    /// Base components in merge order.
    public var inheritance: [String]
    /// Every manifest merged into the stack, in merge order.
    public var imports: [String]
    /// The merged sections (`vars`, `env`, `settings`, `secrets`, `metadata`, …).
    public var sections: Node
    /// Whether `metadata.type` is `abstract`.
    public var isAbstract: Bool

    /// A merged section, or an empty mapping.
    public func section(_ name: String) -> Node {
        sections[name] ?? .mapping([])
    }

    /// `vars`.
    public var vars: Node { section("vars") }
    /// `env`.
    public var env: Node { section("env") }
    /// `settings`.
    public var settings: Node { section("settings") }
    /// `secrets` with `scope` stamped on every declaration.
    public var secrets: Node { section("secrets") }
    /// `metadata`.
    public var metadata: Node { section("metadata") }
}
