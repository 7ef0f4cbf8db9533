public import Core
public import YAML

/// `ref+echo://…`: the path itself (C.6). With a fragment the path's segments become a nested map whose last
/// segment is the value (`echo://foo/bar/baz#/foo/bar` → `baz`).
public struct EchoRefProvider: RefProvider {
    /// Creates the provider.
    public init() {}

    /// Needs nothing outside the reference.
    public var isLocal: Bool { true }

    public func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else {
            throw CloakError(.config, "echo: a fragment needs a path of at least two segments (key/value)")
        }
        var node = Node.string(parts[parts.count - 1])
        for key in parts.dropLast().reversed() { node = .mapping([Node.Pair(key: .string(key), value: node)]) }
        return node
    }
}
