public import Core

/// One D-Bus message: the fixed header, the header fields cloak uses, and a body of values.
public struct DBusMessage: Sendable {
    /// The message type (header byte 1).
    public enum Kind: UInt8, Sendable {
        case methodCall = 1, methodReturn = 2, error = 3, signal = 4
    }

    /// Header field codes (the specification's table).
    enum Field: UInt8 {
        case path = 1, interface, member, errorName, replySerial, destination, sender, signature, unixFDs
    }

    /// Flag: the caller does not want a reply.
    public static let noReplyExpected: UInt8 = 0x1
    /// The largest message the specification allows (128 MiB).
    public static let maximumLength = 1 << 27

    public var kind: Kind
    public var flags: UInt8 = 0
    public var serial: UInt32 = 0
    public var path: String?
    public var interface: String?
    public var member: String?
    public var errorName: String?
    public var replySerial: UInt32?
    public var destination: String?
    public var sender: String?
    public var body: [DBusValue] = []

    /// A message with no fields set.
    public init(kind: Kind) { self.kind = kind }

    /// A method call.
    public static func call(
        destination: String?, path: String, interface: String?, member: String, body: [DBusValue] = []
    ) -> DBusMessage {
        var m = DBusMessage(kind: .methodCall)
        m.destination = destination
        m.path = path
        m.interface = interface
        m.member = member
        m.body = body
        return m
    }

    /// The body's signature.
    public var signature: String { body.map(\.type.signature).joined() }

    /// The wire bytes; the caller wipes them once sent when the body holds secret material.
    public func encode() -> [UInt8] {
        var bodyWriter = DBusWriter()
        for v in body { bodyWriter.write(v) }
        var fields: [DBusValue] = []
        func add(_ code: Field, _ value: DBusValue?) {
            if let value { fields.append(.structure([.byte(code.rawValue), .variant(value)])) }
        }
        add(.path, path.map { .objectPath($0) })
        add(.interface, interface.map { .string($0) })
        add(.member, member.map { .string($0) })
        add(.errorName, errorName.map { .string($0) })
        add(.replySerial, replySerial.map { .uint32($0) })
        add(.destination, destination.map { .string($0) })
        add(.sender, sender.map { .string($0) })
        if !body.isEmpty { add(.signature, .signature(signature)) }
        var w = DBusWriter()
        for b in [UInt8(ascii: "l"), kind.rawValue, flags, 1] { w.write(.byte(b)) }
        w.write(.uint32(UInt32(bodyWriter.bytes.count)))
        w.write(.uint32(serial))
        w.write(.array(element: .structure([.byte, .variant]), fields))
        w.pad(to: 8)
        var out = w.bytes
        out.append(contentsOf: bodyWriter.bytes)
        bodyWriter.wipe()
        return out
    }

    /// How many bytes the whole message takes, from its first 16 bytes; throws for a big-endian or oversized one.
    public static func frameLength(_ prefix: [UInt8]) throws(CloakError) -> Int {
        guard prefix.count >= 16 else { throw DBusType.malformed("short header") }
        guard prefix[0] == UInt8(ascii: "l") else {
            throw DBusType.malformed("big-endian messages are not supported")
        }
        guard prefix[3] == 1 else { throw DBusType.malformed("protocol version \(prefix[3])") }
        func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(prefix[at + $1]) << (8 * $1) } }
        let fieldsEnd = 16 + u32(12)
        let total = (fieldsEnd + 7) / 8 * 8 + u32(4)
        guard total <= maximumLength else { throw DBusType.malformed("message longer than 128 MiB") }
        return total
    }

    /// Parses one whole message (as sized by `frameLength`).
    public static func decode(_ bytes: [UInt8]) throws(CloakError) -> DBusMessage {
        let total = try frameLength(bytes)
        guard bytes.count == total else { throw DBusType.malformed("length does not match the header") }
        guard let kind = Kind(rawValue: bytes[1]) else { throw DBusType.malformed("unknown message type") }
        var m = DBusMessage(kind: kind)
        m.flags = bytes[2]
        var r = DBusReader(bytes, position: 4)
        guard case .uint32(let bodyLength) = try r.read(.uint32), case .uint32(let serial) = try r.read(.uint32) else {
            throw DBusType.malformed("header")
        }
        m.serial = serial
        var signature = ""
        let fields = try r.read(.array(.structure([.byte, .variant])))
        for f in fields.elements ?? [] {
            guard let parts = f.fields, case .byte(let code) = parts[0] else { continue }
            let value = parts[1].unwrapped
            switch Field(rawValue: code) {
            case .path: m.path = value.text
            case .interface: m.interface = value.text
            case .member: m.member = value.text
            case .errorName: m.errorName = value.text
            case .replySerial: if case .uint32(let s) = value { m.replySerial = s }
            case .destination: m.destination = value.text
            case .sender: m.sender = value.text
            case .signature: signature = value.text ?? ""
            // Unknown fields must be accepted and ignored.
            case .unixFDs, nil: break
            }
        }
        try r.skipPadding(8)
        guard total - r.position == Int(bodyLength) else { throw DBusType.malformed("body length") }
        var body = DBusReader(bytes, position: r.position)
        for t in try DBusType.parse(signature) { m.body.append(try body.read(t)) }
        guard body.atEnd else { throw DBusType.malformed("body longer than its signature") }
        return m
    }
}
