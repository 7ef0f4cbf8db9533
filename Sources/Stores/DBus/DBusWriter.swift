/// Marshals values in the little-endian D-Bus wire format. Offsets count from the start of the writer, which must
/// itself sit on an 8-byte boundary of the message (true for the header and for the body).
public struct DBusWriter {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Adds zero bytes up to the next multiple of `alignment`.
    public mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ v: T) {
        pad(to: MemoryLayout<T>.size)
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes one value, aligned as its type requires.
    public mutating func write(_ value: DBusValue) {
        switch value {
        case .byte(let v): bytes.append(v)
        case .boolean(let v): appendLittleEndian(UInt32(v ? 1 : 0))
        case .int16(let v): appendLittleEndian(v)
        case .uint16(let v): appendLittleEndian(v)
        case .int32(let v): appendLittleEndian(v)
        case .uint32(let v), .unixFD(let v): appendLittleEndian(v)
        case .int64(let v): appendLittleEndian(v)
        case .uint64(let v): appendLittleEndian(v)
        case .double(let v): appendLittleEndian(v.bitPattern)
        case .string(let s), .objectPath(let s):
            let utf8 = Array(s.utf8)
            appendLittleEndian(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
            bytes.append(0)
        case .signature(let s):
            let utf8 = Array(s.utf8)
            bytes.append(UInt8(truncatingIfNeeded: utf8.count))
            bytes.append(contentsOf: utf8)
            bytes.append(0)
        case .variant(let inner):
            write(.signature(inner.type.signature))
            write(inner)
        case .bytes(let b):
            appendLittleEndian(UInt32(b.count))
            bytes.append(contentsOf: b)
        case .array(let element, let items):
            appendLittleEndian(UInt32(0))
            let lengthAt = bytes.count - 4
            // The length excludes the padding between it and the first element, which is there even when empty.
            pad(to: element.alignment)
            let start = bytes.count
            for item in items { write(item) }
            let length = UInt32(bytes.count - start)
            withUnsafeBytes(of: length.littleEndian) { raw in
                for (i, b) in raw.enumerated() { bytes[lengthAt + i] = b }
            }
        case .structure(let fields):
            pad(to: 8)
            for f in fields { write(f) }
        case .dictEntry(let k, let v):
            pad(to: 8)
            write(k)
            write(v)
        }
    }

    /// Zeroes and empties the buffer (bodies may carry secret material).
    public mutating func wipe() {
        for i in bytes.indices { bytes[i] = 0 }
        bytes.removeAll()
    }
}
