public import Core
public import YAML

/// Walks a reference fragment (`#/a/b`) through a decoded document (C.4).
public enum RefFragment {
    /// The segments of `fragment`: one leading `#` and one leading `/` dropped, split on `/` (empty segments kept).
    public static func segments(_ fragment: String) -> [String] {
        var f = Substring(fragment)
        if f.first == "#" { f = f.dropFirst() }
        if f.first == "/" { f = f.dropFirst() }
        return f.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    /// The value at `fragment` in `document`, with its own type. Only mappings can be indexed (a list or scalar on
    /// the way is an error). A missing key is an error when `failOnMissingKey` (the `vals eval` default), else null;
    /// a key present with a null value is null either way.
    public static func walk(_ document: Node, fragment: String, failOnMissingKey: Bool) throws(CloakError) -> Node {
        let keys = segments(fragment)
        var current = document
        for (i, key) in keys.enumerated() {
            guard let pairs = current.pairs else {
                throw CloakError(
                    .config,
                    "unexpected type of value for key at \(i)=\(key) in [\(keys.joined(separator: " "))]: expected a map, got \(GoValueFormat.typeName(current))")
            }
            guard let hit = pairs.last(where: { GoValueFormat.format($0.key) == key }) else {
                if failOnMissingKey { throw CloakError(.notFound, "no value found for key \(fragment)") }
                return .null
            }
            current = hit.value
        }
        return current
    }
}
