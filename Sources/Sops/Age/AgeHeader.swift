import Core

/// One recipient stanza: `-> type args…` and a base64 body.
struct AgeStanza {
    var type: String
    var arguments: [String]
    var body: [UInt8]
}

/// The text header of an age file (everything before the payload nonce).
struct AgeHeader {
    static let versionLine = Array("age-encryption.org/v1".utf8)
    static let columns = 64

    var stanzas: [AgeStanza]
    /// The 32-byte header MAC; empty while building a header for encryption.
    var mac: [UInt8] = []

    /// The canonical serialisation up to and including `---`: the bytes the MAC covers.
    func bytesForMAC() -> [UInt8] {
        var out = AgeHeader.versionLine
        out.append(0x0A)
        for stanza in stanzas {
            out.append(contentsOf: Array("->".utf8))
            for argument in [stanza.type] + stanza.arguments {
                out.append(0x20)
                out.append(contentsOf: Array(argument.utf8))
            }
            out.append(0x0A)
            let body = Array(Base64.encode(stanza.body, padded: false).utf8)
            var i = 0
            // Full 64-column lines, then always one shorter (possibly empty) line.
            while i + AgeHeader.columns <= body.count {
                out.append(contentsOf: body[i..<(i + AgeHeader.columns)])
                out.append(0x0A)
                i += AgeHeader.columns
            }
            out.append(contentsOf: body[i...])
            out.append(0x0A)
        }
        out.append(contentsOf: Array("---".utf8))
        return out
    }

    /// The complete header: `bytesForMAC()`, a space, the base64 MAC and a newline.
    func encoded() -> [UInt8] {
        precondition(mac.count == 32)
        var out = bytesForMAC()
        out.append(0x20)
        out.append(contentsOf: Base64.encode(mac, padded: false).utf8)
        out.append(0x0A)
        return out
    }

    /// Parses the header at the start of `file`, returning it and the offset of the first payload byte.
    static func parse(_ file: [UInt8]) throws(CloakError) -> (header: AgeHeader, payloadOffset: Int) {
        var position = 0
        func nextLine() throws(CloakError) -> ArraySlice<UInt8> {
            guard let end = file[position...].firstIndex(of: 0x0A) else {
                throw CloakError.age(
                    .header,
                    position == 0 && file.isEmpty ? ": empty file" : ": unexpected end of header"
                )
            }
            let line = file[position..<end]
            position = end + 1
            return line
        }

        let version = try nextLine()
        if !version.elementsEqual(versionLine) {
            let prefix = Array("age-encryption.org/".utf8)
            if version.starts(with: prefix) {
                throw CloakError.age(.header, ": unsupported format version (only age-encryption.org/v1 is supported)")
            }
            throw CloakError.age(.header, ": not an age file (first line is not 'age-encryption.org/v1')")
        }

        var stanzas: [AgeStanza] = []
        while true {
            let line = try nextLine()
            if line.starts(with: Array("---".utf8)) {
                // Exactly "--- " and 43 canonical base64 characters.
                guard line.count == 47, line[line.startIndex + 3] == 0x20,
                    let mac = Base64.decode(line.dropFirst(4), padded: false), mac.count == 32
                else { throw CloakError.age(.header, ": malformed MAC line") }
                if stanzas.isEmpty { throw CloakError.age(.header, ": no recipient stanzas") }
                return (AgeHeader(stanzas: stanzas, mac: mac), position)
            }
            guard line.starts(with: Array("-> ".utf8)) else {
                throw CloakError.age(.header, ": unexpected line (expected a '-> ' stanza or the '---' MAC line)")
            }
            let fields = line.dropFirst(3).split(separator: 0x20, omittingEmptySubsequences: false)
            for field in fields {
                guard !field.isEmpty else { throw CloakError.age(.header, ": empty stanza argument") }
                guard field.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
                    throw CloakError.age(.header, ": invalid character in stanza argument")
                }
            }
            var text: [UInt8] = []
            while true {
                let bodyLine = try nextLine()
                guard bodyLine.count <= columns else {
                    throw CloakError.age(.header, ": stanza body line longer than 64 columns")
                }
                text.append(contentsOf: bodyLine)
                if bodyLine.count < columns { break }
            }
            guard let body = Base64.decode(text, padded: false) else {
                throw CloakError.age(.header, ": stanza body is not canonical base64")
            }
            let strings = fields.map { String(decoding: $0, as: UTF8.self) }
            stanzas.append(AgeStanza(type: strings[0], arguments: Array(strings.dropFirst()), body: body))
        }
    }
}
