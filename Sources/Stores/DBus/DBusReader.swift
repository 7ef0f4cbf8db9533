public import Core

/// Unmarshals little-endian D-Bus values from a message buffer; positions (and so alignment) count from the start
/// of the message. Every length is checked against the buffer, so a hostile peer cannot read past it.
public struct DBusReader {
    let bytes: [UInt8]
    /// The next byte to read.
    public private(set) var position: Int
    let end: Int

    /// A reader over `bytes[position..<end]` (end defaults to the whole buffer).
    public init(_ bytes: [UInt8], position: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.position = position
        self.end = min(end ?? bytes.count, bytes.count)
    }

    /// Whether everything has been read.
    public var atEnd: Bool { position >= end }

    mutating func skipPadding(_ alignment: Int) throws(CloakError) {
        let target = (position + alignment - 1) / alignment * alignment
        guard target <= end else { throw DBusType.malformed("padding runs past the end") }
        for i in position..<target where bytes[i] != 0 { throw DBusType.malformed("non-zero padding") }
        position = target
    }

    private mutating func take(_ n: Int) throws(CloakError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= end - position else { throw DBusType.malformed("value runs past the end") }
        defer { position += n }
        return bytes[position..<position + n]
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(CloakError) -> T {
        try skipPadding(MemoryLayout<T>.size)
        var v: T = 0
        for (i, b) in try take(MemoryLayout<T>.size).enumerated() { v |= T(truncatingIfNeeded: b) << (8 * i) }
        return v
    }

    private mutating func text(lengthBytes: Int) throws(CloakError) -> String {
        let n = lengthBytes == 1 ? Int(try take(1).first!) : Int(try integer(UInt32.self))
        let utf8 = try take(n)
        guard try take(1).first == 0 else { throw DBusType.malformed("string not terminated by a nul byte") }
        guard !utf8.contains(0), let s = String(validating: utf8, as: UTF8.self) else {
            throw DBusType.malformed("string is not valid UTF-8")
        }
        return s
    }

    /// Reads one value of `type`.
    public mutating func read(_ type: DBusType, depth: Int = 0) throws(CloakError) -> DBusValue {
        guard depth < 64 else { throw DBusType.malformed("values nested too deeply") }
        switch type {
        case .byte: return .byte(try take(1).first!)
        case .boolean:
            switch try integer(UInt32.self) {
            case 0: return .boolean(false)
            case 1: return .boolean(true)
            default: throw DBusType.malformed("boolean other than 0 or 1")
            }
        case .int16: return .int16(try integer(Int16.self))
        case .uint16: return .uint16(try integer(UInt16.self))
        case .int32: return .int32(try integer(Int32.self))
        case .uint32: return .uint32(try integer(UInt32.self))
        case .unixFD: return .unixFD(try integer(UInt32.self))
        case .int64: return .int64(try integer(Int64.self))
        case .uint64: return .uint64(try integer(UInt64.self))
        case .double: return .double(Double(bitPattern: try integer(UInt64.self)))
        case .string: return .string(try text(lengthBytes: 4))
        case .objectPath: return .objectPath(try text(lengthBytes: 4))
        case .signature: return .signature(try text(lengthBytes: 1))
        case .variant:
            let sig = try text(lengthBytes: 1)
            let types = try DBusType.parse(sig)
            guard types.count == 1 else { throw DBusType.malformed("variant signature is not one complete type") }
            return .variant(try read(types[0], depth: depth + 1))
        case .array(let element):
            let length = Int(try integer(UInt32.self))
            guard length <= 1 << 26 else { throw DBusType.malformed("array longer than 64 MiB") }
            try skipPadding(element.alignment)
            guard length <= end - position else { throw DBusType.malformed("array runs past the end") }
            if element == .byte { return .bytes(Array(try take(length))) }
            let stop = position + length
            var items: [DBusValue] = []
            while position < stop { items.append(try read(element, depth: depth + 1)) }
            guard position == stop else { throw DBusType.malformed("array elements overrun its length") }
            return .array(element: element, items)
        case .structure(let fieldTypes):
            try skipPadding(8)
            var fields: [DBusValue] = []
            for t in fieldTypes { fields.append(try read(t, depth: depth + 1)) }
            return .structure(fields)
        case .dictEntry(let k, let v):
            try skipPadding(8)
            let key = try read(k, depth: depth + 1)
            return .dictEntry(key, try read(v, depth: depth + 1))
        }
    }
}
