public import Core
public import YAML

/// How one `ref+awsssm://PATH[?mode=singleparam&version=N&recursive=true][#/frag]` reference is read (C.6): the
/// parameter name gets a leading `/` (a trailing one is dropped); without a fragment the parameter's value
/// (`version=` picks a version); with a fragment, by default, the parameters under the path (`GetParametersByPath`)
/// as a map, or with `mode=singleparam` the one parameter's value parsed as YAML.
public struct SSMRefLookup: Sendable, Equatable {
    /// What the reference reads.
    public enum Mode: Sendable, Equatable {
        /// One parameter's value, as a string.
        case value
        /// One parameter's value parsed as a YAML map (`mode=singleparam` with a fragment).
        case singleParameterMap
        /// The parameters under the path as a map; nested maps per path segment when `recursive`.
        case tree(recursive: Bool)
    }

    /// The parameter name or path, with its leading `/`.
    public var name: String
    /// `version=`: the parameter version to read (value and single-parameter modes).
    public var version: Int?
    /// What is read.
    public var mode: Mode

    /// Interprets a provider path and its parameters; a bad `version`, `mode` or `recursive` is an error naming it.
    public init(path: String, params: RefParams, wantsMap: Bool) throws(CloakError) {
        var p = path
        if p.hasSuffix("/") && p.count > 1 { p.removeLast() }
        name = p.hasPrefix("/") ? p : "/" + p
        if let v = params.value("version"), !v.isEmpty {
            guard let n = Int(v), n > 0 else { throw CloakError(.config, "awsssm: version=\(v) is not a positive number") }
            version = n
        }
        let recursive: Bool
        switch params.value("recursive") ?? "" {
        case "", "false": recursive = false
        case "true": recursive = true
        case let other: throw CloakError(.config, "awsssm: recursive=\(other) must be true or false")
        }
        switch params.value("mode") ?? "" {
        case "": mode = wantsMap ? .tree(recursive: recursive) : .value
        case "singleparam": mode = wantsMap ? .singleParameterMap : .value
        case let other: throw CloakError(.config, "awsssm: unsupported mode=\(other) (leave it out, or singleparam)")
        }
    }

    /// The map vals builds from the parameters under `path`: each name relative to the path (`/foo/bar/a` under
    /// `/foo/bar` is `a`); with `recursive`, split on `/` into nested maps (a parameter that is also the parent of
    /// others yields to the nested map). Keys are sorted; values are strings.
    public static func tree(_ parameters: [(name: String, value: String)], under path: String, recursive: Bool) -> Node {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let root = TreeNode()
        for (name, value) in parameters where name.hasPrefix(prefix) {
            let relative = String(name.dropFirst(prefix.count))
            let segments = recursive ? relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init) : [relative]
            root.insert(segments[...], value)
        }
        return root.node()
    }

    private final class TreeNode {
        var value: String?
        var children: [String: TreeNode] = [:]

        func insert(_ path: ArraySlice<String>, _ leaf: String) {
            guard let first = path.first else {
                value = leaf
                return
            }
            let child = children[first] ?? TreeNode()
            children[first] = child
            child.insert(path.dropFirst(), leaf)
        }

        func node() -> Node {
            if children.isEmpty { return .string(value ?? "") }
            return .mapping(children.keys.sorted().map { Node.Pair(key: .string($0), value: children[$0]?.node() ?? .null) })
        }
    }
}
