public import Core

/// One complete D-Bus type, as a signature spells it (`s`, `ao`, `a{sv}`, `(oayays)` …).
public indirect enum DBusType: Equatable, Sendable {
    case byte, boolean, int16, uint16, int32, uint32, int64, uint64, double
    case string, objectPath, signature, unixFD
    case variant
    case array(DBusType)
    case structure([DBusType])
    case dictEntry(DBusType, DBusType)

    /// The type's signature text.
    public var signature: String {
        switch self {
        case .byte: "y"
        case .boolean: "b"
        case .int16: "n"
        case .uint16: "q"
        case .int32: "i"
        case .uint32: "u"
        case .int64: "x"
        case .uint64: "t"
        case .double: "d"
        case .string: "s"
        case .objectPath: "o"
        case .signature: "g"
        case .unixFD: "h"
        case .variant: "v"
        case .array(let e): "a" + e.signature
        case .structure(let fields): "(" + fields.map(\.signature).joined() + ")"
        case .dictEntry(let k, let v): "{" + k.signature + v.signature + "}"
        }
    }

    /// The boundary a value of this type starts on (the specification's alignment table).
    public var alignment: Int {
        switch self {
        case .byte, .signature, .variant: 1
        case .int16, .uint16: 2
        case .boolean, .int32, .uint32, .string, .objectPath, .unixFD, .array: 4
        case .int64, .uint64, .double, .structure, .dictEntry: 8
        }
    }

    /// Whether the type is basic (allowed as a dict-entry key).
    var isBasic: Bool {
        switch self {
        case .variant, .array, .structure, .dictEntry: false
        default: true
        }
    }

    /// Parses a signature into its complete types (a message body's signature may hold several).
    public static func parse(_ signature: String) throws(CloakError) -> [DBusType] {
        let chars = Array(signature.utf8)
        guard chars.count <= 255 else { throw malformed("signature longer than 255 bytes") }
        var i = 0
        var types: [DBusType] = []
        while i < chars.count { types.append(try parseOne(chars, &i, depth: 0)) }
        return types
    }

    private static func parseOne(_ c: [UInt8], _ i: inout Int, depth: Int) throws(CloakError) -> DBusType {
        // The specification caps nesting at 32 arrays plus 32 structs; one limit of 64 is enough to stop recursion.
        guard depth < 64 else { throw malformed("signature nested too deeply") }
        guard i < c.count else { throw malformed("signature ends inside a container") }
        let ch = c[i]
        i += 1
        switch ch {
        case UInt8(ascii: "y"): return .byte
        case UInt8(ascii: "b"): return .boolean
        case UInt8(ascii: "n"): return .int16
        case UInt8(ascii: "q"): return .uint16
        case UInt8(ascii: "i"): return .int32
        case UInt8(ascii: "u"): return .uint32
        case UInt8(ascii: "x"): return .int64
        case UInt8(ascii: "t"): return .uint64
        case UInt8(ascii: "d"): return .double
        case UInt8(ascii: "s"): return .string
        case UInt8(ascii: "o"): return .objectPath
        case UInt8(ascii: "g"): return .signature
        case UInt8(ascii: "h"): return .unixFD
        case UInt8(ascii: "v"): return .variant
        case UInt8(ascii: "a"):
            if i < c.count && c[i] == UInt8(ascii: "{") {
                i += 1
                let key = try parseOne(c, &i, depth: depth + 1)
                guard key.isBasic else { throw malformed("dict-entry key is not a basic type") }
                let value = try parseOne(c, &i, depth: depth + 1)
                guard i < c.count && c[i] == UInt8(ascii: "}") else { throw malformed("dict entry not closed") }
                i += 1
                return .array(.dictEntry(key, value))
            }
            return .array(try parseOne(c, &i, depth: depth + 1))
        case UInt8(ascii: "("):
            var fields: [DBusType] = []
            while i < c.count && c[i] != UInt8(ascii: ")") { fields.append(try parseOne(c, &i, depth: depth + 1)) }
            guard i < c.count, !fields.isEmpty else { throw malformed("struct not closed or empty") }
            i += 1
            return .structure(fields)
        default:
            throw malformed("unknown type code in signature")
        }
    }

    static func malformed(_ what: String) -> CloakError {
        CloakError(.backend, "D-Bus: malformed message (\(what))")
    }
}
