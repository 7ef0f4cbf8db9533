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
