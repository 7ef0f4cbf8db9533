/// A top-level stack manifest and the canonical name Atmos gives it.
public struct StackEntry: Sendable, Hashable {
    /// Canonical stack name (`-s` takes this).
    public var name: String
    /// Absolute path of the manifest.
    public var file: String
    /// The manifest path relative to the stacks base, without extension (the name when nothing else applies).
    public var pathName: String
}
