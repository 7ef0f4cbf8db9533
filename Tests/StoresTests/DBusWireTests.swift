import Core
import Testing

@testable import Stores

/// Byte layouts worked out by hand from the D-Bus specification's marshalling rules (little-endian, each value
/// aligned to its type's boundary, arrays prefixed by a byte length that excludes the padding before the first
/// element, structs and dict entries on 8, variants as a signature then the value).
@Suite struct DBusWireTests {
    func bytes(_ values: [DBusValue]) -> [UInt8] {
        var w = DBusWriter()
        for v in values { w.write(v) }
        return w.bytes
    }

    func hex(_ s: String) -> [UInt8] {
        let digits = Array(s.utf8).filter { $0 != UInt8(ascii: " ") }
        return stride(from: 0, to: digits.count, by: 2).map {
            Hex.digitValue(digits[$0])! << 4 | Hex.digitValue(digits[$0 + 1])!
        }
    }

    @Test func basicTypesHaveTheSpecifiedLayouts() {
        #expect(bytes([.string("abc")]) == hex("03000000 61626300"))
        #expect(bytes([.objectPath("/")]) == hex("01000000 2f00"))
        #expect(bytes([.signature("ao")]) == hex("02 616f 00"))
        #expect(bytes([.boolean(true)]) == hex("01000000"))
        #expect(bytes([.int16(-2)]) == hex("feff"))
        #expect(bytes([.uint64(0x0102030405060708)]) == hex("0807060504030201"))
        #expect(bytes([.double(1.0)]) == hex("000000000000f03f"))
    }

    @Test func valuesAreAlignedToTheirTypeBoundary() {
        #expect(bytes([.byte(1), .uint32(2)]) == hex("01 000000 02000000"))
        #expect(bytes([.byte(1), .int16(3)]) == hex("01 00 0300"))
        #expect(bytes([.byte(1), .int64(4)]) == hex("01 00000000000000 0400000000000000"))
        #expect(bytes([.byte(1), .structure([.byte(9)])]) == hex("01 00000000000000 09"))
        // A variant: signature "u", padding to 4, then the value.
        #expect(bytes([.variant(.uint32(5))]) == hex("01 75 00 00 05000000"))
    }

    @Test func arrayLengthExcludesThePaddingBeforeTheFirstElement() {
        // An empty array of structs still pads to 8 after its length.
        #expect(bytes([.array(element: .structure([.int32, .int32]), [])]) == hex("00000000 00000000"))
        // a{ss} {"a": "b"}: length 14 = entry from offset 8 to 22.
        #expect(
            bytes([.stringDictionary(["a": "b"])]) == hex("0e000000 00000000 01000000 6100 0000 01000000 6200"))
        #expect(bytes([.bytes([1, 2, 3])]) == hex("03000000 010203"))
        #expect(bytes([.objectPaths(["/a", "/b"])]) == hex("0f000000 02000000 2f6100 00 02000000 2f6200"))
    }

    @Test func aMethodCallHeaderHasTheSpecifiedLayout() throws {
        var m = DBusMessage.call(destination: nil, path: "/a", interface: nil, member: "M")
        m.serial = 7
        let expected = hex(
            "6c 01 00 01 00000000 07000000 1a000000"  // endianness, call, flags, version, body length, serial, fields
                + "01 01 6f 00 02000000 2f6100 0000000000"  // PATH: variant "o" "/a", then padding to 8
                + "03 01 73 00 01000000 4d00"  // MEMBER: variant "s" "M"
                + "000000000000")  // the header ends on an 8-byte boundary
        #expect(m.encode() == expected)
        let back = try DBusMessage.decode(expected)
        #expect(back.kind == .methodCall && back.serial == 7 && back.path == "/a" && back.member == "M")
        #expect(back.body.isEmpty && back.interface == nil)
    }

    @Test func secretStructsAndPropertiesRoundTrip() throws {
        let secret = DBusValue.structure([.objectPath("/s/1"), .bytes([9, 8]), .bytes([]), .string("text/plain")])
        let props = DBusValue.variantDictionary([
            ("org.freedesktop.Secret.Item.Label", .string("L")),
            ("org.freedesktop.Secret.Item.Attributes", .stringDictionary(["service": "x", "account": "y"])),
        ])
        var m = DBusMessage.call(
            destination: "org.freedesktop.secrets", path: "/org/freedesktop/secrets/aliases/default",
            interface: "org.freedesktop.Secret.Collection", member: "CreateItem",
            body: [props, secret, .boolean(true), .objectPaths([]), .int64(-1), .double(2.5)])
        m.serial = 3
        #expect(m.signature == "a{sv}(oayays)baoxd")
        let back = try DBusMessage.decode(m.encode())
        #expect(back.body == m.body)
        #expect(back.destination == m.destination && back.interface == m.interface && back.serial == 3)
    }

    @Test func anErrorReplyIsSummarisedOnOneLine() throws {
        var m = DBusMessage(kind: .error)
        m.errorName = "org.freedesktop.DBus.Error.UnknownMethod"
        m.replySerial = 4
        m.serial = 9
        m.body = [.string("no such\nmethod")]
        let back = try DBusMessage.decode(m.encode())
        #expect(back.replySerial == 4)
        #expect(back.errorSummary == " (org.freedesktop.DBus.Error.UnknownMethod: no such method)")
    }

    @Test func signaturesParseIntoTypes() throws {
        #expect(
            try DBusType.parse("a{sv}(oayays)")
                == [.array(.dictEntry(.string, .variant)), .structure([.objectPath, .array(.byte), .array(.byte), .string])])
        for bad in ["a", "(", "()", "a{vs}", "a{s}", "z", "(i"] {
            #expect(throws: CloakError.self) { try DBusType.parse(bad) }
        }
    }

    @Test func malformedBodiesAreRejected() {
        func read(_ type: DBusType, _ b: [UInt8]) throws(CloakError) -> DBusValue {
            var r = DBusReader(b)
            return try r.read(type)
        }
        #expect(throws: CloakError.self) { try read(.boolean, hex("02000000")) }
        #expect(throws: CloakError.self) { try read(.string, hex("03000000 616263 01")) }  // no nul terminator
        #expect(throws: CloakError.self) { try read(.string, hex("05000000 6162")) }  // runs past the end
        #expect(throws: CloakError.self) { try read(.array(.uint32), hex("08000000 01000000")) }
        #expect(throws: CloakError.self) { try read(.string, hex("02000000 ff fe 00")) }  // not UTF-8
        #expect(throws: CloakError.self) { try read(.variant, hex("02 7575 00")) }  // two types in a variant
        #expect(throws: CloakError.self) { try read(.structure([.byte, .uint32]), hex("01 010000 05000000")) }
        #expect(throws: CloakError.self) { try DBusMessage.frameLength(hex("42010001 00000000 01000000 00000000")) }
        #expect(throws: CloakError.self) { try DBusMessage.frameLength(hex("6c010001 ffffffff 01000000 00000000")) }
    }

    @Test func busAddressesParse() throws {
        #expect(
            try DBusAddress.parse("unix:path=/run/user/1000/bus,guid=abc")
                == [.path("/run/user/1000/bus")])
        #expect(
            try DBusAddress.parse("tcp:host=x,port=1;unix:abstract=/tmp/dbus-Ab%2c1,guid=1")
                == [.abstract("/tmp/dbus-Ab,1")])
        #expect(throws: CloakError.self) { try DBusAddress.parse("tcp:host=localhost,port=1") }
        #expect(throws: CloakError.self) { try DBusAddress.parse("unix:path=%zz") }
    }
}
