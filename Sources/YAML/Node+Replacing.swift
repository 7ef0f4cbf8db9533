public import Core

extension Node {
    /// The tree with nodes replaced, top-down: `replacement` is asked about each node (mapping keys excepted); a
    /// node it returns stands in for the whole subtree, `nil` keeps the node and descends into its children.
    public func replacing(_ replacement: (Node) throws(CloakError) -> Node?) throws(CloakError) -> Node {
        if let replaced = try replacement(self) { return replaced }
        switch content {
        case .scalar:
            return self
        case .sequence(let items):
            var out = self
            var mapped: [Node] = []
            mapped.reserveCapacity(items.count)
            for item in items { mapped.append(try item.replacing(replacement)) }
            out.content = .sequence(mapped)
            return out
        case .mapping(let pairs):
            var out = self
            var mapped = pairs
            for i in mapped.indices { mapped[i].value = try mapped[i].value.replacing(replacement) }
            out.content = .mapping(mapped)
            return out
        }
    }
}
