/// One D-Bus value with its type; `bytes` is the compact form of `ay` (secrets and keys travel that way).
public indirect enum DBusValue: Equatable, Sendable {
    case byte(UInt8)
    case boolean(Bool)
    case int16(Int16)
    case uint16(UInt16)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    case string(String)
    case objectPath(String)
    case signature(String)
    case unixFD(UInt32)
    case variant(DBusValue)
    /// An array whose elements all have `element` type (an empty array still needs it for its signature).
    case array(element: DBusType, [DBusValue])
    /// `ay`.
    case bytes([UInt8])
    case structure([DBusValue])
    case dictEntry(DBusValue, DBusValue)

    /// The value's type.
    public var type: DBusType {
        switch self {
        case .byte: .byte
        case .boolean: .boolean
        case .int16: .int16
        case .uint16: .uint16
        case .int32: .int32
        case .uint32: .uint32
        case .int64: .int64
        case .uint64: .uint64
        case .double: .double
        case .string: .string
        case .objectPath: .objectPath
        case .signature: .signature
        case .unixFD: .unixFD
        case .variant: .variant
        case .array(let element, _): .array(element)
        case .bytes: .array(.byte)
        case .structure(let fields): .structure(fields.map(\.type))
        case .dictEntry(let k, let v): .dictEntry(k.type, v.type)
        }
    }

    /// `a{ss}` with keys in sorted order (so the bytes do not depend on dictionary order).
    public static func stringDictionary(_ pairs: [String: String]) -> DBusValue {
        .array(
            element: .dictEntry(.string, .string),
            pairs.sorted { $0.key < $1.key }.map { .dictEntry(.string($0.key), .string($0.value)) })
    }

    /// `a{sv}` in the given order.
    public static func variantDictionary(_ pairs: [(String, DBusValue)]) -> DBusValue {
        .array(element: .dictEntry(.string, .variant), pairs.map { .dictEntry(.string($0.0), .variant($0.1)) })
    }

    /// `ao`.
    public static func objectPaths(_ paths: [String]) -> DBusValue {
        .array(element: .objectPath, paths.map { .objectPath($0) })
    }

    /// The text of a string, object path or signature.
    public var text: String? {
        switch self {
        case .string(let s), .objectPath(let s), .signature(let s): s
        default: nil
        }
    }

    /// The elements of an array (`ay` as bytes).
    public var elements: [DBusValue]? {
        switch self {
        case .array(_, let items): items
        case .bytes(let b): b.map { .byte($0) }
        default: nil
        }
    }

    /// The fields of a struct or dict entry.
    public var fields: [DBusValue]? {
        switch self {
        case .structure(let f): f
        case .dictEntry(let k, let v): [k, v]
        default: nil
        }
    }

    /// The bytes of an `ay`.
    public var byteArray: [UInt8]? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    /// The content of a variant, or the value itself.
    public var unwrapped: DBusValue {
        if case .variant(let inner) = self { return inner.unwrapped }
        return self
    }
}
