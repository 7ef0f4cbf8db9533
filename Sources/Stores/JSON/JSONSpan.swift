/// A parsed JSON document that holds only byte offsets into the buffer it came from: no key, string or number is
/// copied out until a caller asks for one field, so response bodies holding secrets can be read without making
/// `String`s of them. Errors carry byte offsets only.
indirect enum JSONSpan: Sendable {
    /// An object: each key's escaped content range (between the quotes) and its value.
    case object([(key: Range<Int>, value: JSONSpan)])
    /// An array.
    case array([JSONSpan])
    /// A string: its escaped content range (between the quotes).
    case string(Range<Int>)
    /// A number: its text range.
    case number(Range<Int>)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// The top-level kind, for value-encoding decisions.
    enum Kind: Sendable { case object, array, string, number, bool, null }

    /// This value's kind.
    var kind: Kind {
        switch self {
        case .object: .object
        case .array: .array
        case .string: .string
        case .number: .number
        case .bool: .bool
        case .null: .null
        }
    }

    /// The value of member `name` of an object (compares raw key bytes; keys with escapes never match).
    func member(_ name: String, in buffer: UnsafeRawBufferPointer) -> JSONSpan? {
        guard case .object(let members) = self else { return nil }
        let wanted = Array(name.utf8)
        for m in members where m.key.count == wanted.count {
            var same = true
            for (i, b) in wanted.enumerated() where buffer[m.key.lowerBound + i] != b {
                same = false
                break
            }
            if same { return m.value }
        }
        return nil
    }

    /// The elements of an array (empty for anything else).
    var elements: [JSONSpan] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The escaped content range of a string value.
    var stringRange: Range<Int>? {
        if case .string(let r) = self { return r }
        return nil
    }
}
