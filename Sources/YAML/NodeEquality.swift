extension Node: Equatable {
    /// Same content and tag; location and comments are ignored. Scalars are equal when their text is equal and
    /// both or neither mean a string, so `"x"` equals plain `x`, but `"1"` does not equal plain `1`; every
    /// spelling of null (empty, `~`, `null`) equals every other.
    public static func == (lhs: Node, rhs: Node) -> Bool {
        guard normalisedTag(lhs.tag) == normalisedTag(rhs.tag) else { return false }
        switch (lhs.content, rhs.content) {
        case (.scalar(let a, _), .scalar(let b, _)):
            if a == b { return lhs.isStringScalar == rhs.isStringScalar }
            return lhs.isNull && rhs.isNull
        case (.sequence(let a), .sequence(let b)):
            return a == b
        case (.mapping(let a), .mapping(let b)):
            return a == b
        default:
            return false
        }
    }

    private static func normalisedTag(_ tag: String?) -> String? {
        tag == "!" ? nil : tag
    }
}

extension Node.Pair: Equatable {
    /// Keys and values equal as nodes.
    public static func == (lhs: Node.Pair, rhs: Node.Pair) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }
}
