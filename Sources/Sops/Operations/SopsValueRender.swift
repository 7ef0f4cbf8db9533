import YAML
public import Core

extension SopsValue {
    /// The value as `sops decrypt --extract` prints it: a scalar's plaintext bytes, a mapping in `format`.
    /// The result holds plaintext secrets.
    public func rendered(as format: SopsFormat) throws(CloakError) -> [UInt8] {
        switch self {
        case .leaf(let leaf):
            return leaf.bytes.withUnsafeBytes { Array($0) }
        case .null:
            return Array("null".utf8)
        case .mapping(let items):
            return try format.store.emit([items], metadata: nil, flatKeyOrder: nil, options: SopsEmitOptions())
        case .list, .comment:
            throw CloakError(.usage, "cannot print a list on its own: extract one of its elements, e.g. [0]")
        }
    }
}

extension SopsValue {
    /// The value as compact JSON (maps keep their order). Holds plaintext secrets.
    public func renderedJSON() throws(CloakError) -> [UInt8] {
        var out: [UInt8] = []
        try appendJSON(to: &out)
        return out
    }

    private func appendJSON(to out: inout [UInt8]) throws(CloakError) {
        switch self {
        case .null, .comment:
            out += Array("null".utf8)
        case .leaf(let leaf):
            switch leaf.type {
            case .int, .float:
                out += leaf.bytes.withUnsafeBytes { Array($0) }
            case .bool:
                let t = leaf.bytes.isEqual(to: Array("True".utf8)) || leaf.bytes.isEqual(to: Array("true".utf8))
                out += Array((t ? "true" : "false").utf8)
            default:
                out += Array(JSON.quote(leaf.bytes.unsafeString()).utf8)
            }
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try item.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .mapping(let items):
            out.append(UInt8(ascii: "{"))
            var first = true
            for item in items {
                guard case .entry(let key, let value) = item else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out += Array(JSON.quote(key).utf8)
                out.append(UInt8(ascii: ":"))
                try value.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
