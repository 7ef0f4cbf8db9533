import Core

/// age's ASCII armor (age spec, "ASCII armor"): padded base64 at 64 columns between fixed BEGIN/END lines,
/// parsed as strictly as the Go reference.
enum AgeArmor {
    static let begin = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let end = Array("-----END AGE ENCRYPTED FILE-----".utf8)
    private static let columns = 64
    private static let maxWhitespace = 1024

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// Armors a binary age file.
    static func encode(_ binary: [UInt8]) -> [UInt8] {
        let text = Array(Base64.encode(binary).utf8)
        var out = begin
        out.reserveCapacity(text.count + text.count / columns + begin.count + end.count + 4)
        out.append(0x0A)
        var i = 0
        while i < text.count {
            let j = min(i + columns, text.count)
            out.append(contentsOf: text[i..<j])
            out.append(0x0A)
            i = j
        }
        out.append(contentsOf: end)
        out.append(0x0A)
        return out
    }

    /// Whether `file` should be read as armor: it starts (after whitespace) with `-----`, or it is not a binary age
    /// file and the BEGIN line appears near its start (so leading garbage is reported as an armor problem).
    static func looksArmored(_ file: [UInt8]) -> Bool {
        if file.starts(with: Array("age-encryption.org/".utf8)) { return false }
        let body = file.drop(while: isSpace)
        if body.starts(with: Array("-----".utf8)) { return true }
        let window = file.prefix(maxWhitespace + begin.count)
        guard window.count >= begin.count else { return false }
        for start in 0...(window.count - begin.count) where window[start] == 0x2D {
            if window[start..<(start + begin.count)].elementsEqual(begin) { return true }
        }
        return false
    }

    /// Decodes an armored file to the binary age file.
    static func decode(_ file: [UInt8]) throws(CloakError) -> [UInt8] {
        var position = 0
        while position < file.count && isSpace(file[position]) { position += 1 }
        guard position <= maxWhitespace else { throw CloakError.age(.armor, ": too much leading whitespace") }

        // One line without its LF or CRLF; `nil` at end of input.
        func nextLine() -> ArraySlice<UInt8>? {
            guard position < file.count else { return nil }
            let stop = file[position...].firstIndex(of: 0x0A) ?? file.count
            var line = file[position..<stop]
            position = min(stop + 1, file.count)
            if line.last == 0x0D { line = line.dropLast() }
            return line
        }

        guard let first = nextLine(), first.elementsEqual(begin) else {
            throw CloakError.age(.armor, ": first line is not '-----BEGIN AGE ENCRYPTED FILE-----'")
        }
        var text: [UInt8] = []
        var sawShortLine = false
        while true {
            guard let line = nextLine() else { throw CloakError.age(.armor, ": missing END line") }
            if line.elementsEqual(end) { break }
            if sawShortLine { throw CloakError.age(.armor, ": a short line must be the last before the END line") }
            guard !line.isEmpty else { throw CloakError.age(.armor, ": empty line") }
            guard line.count <= columns else { throw CloakError.age(.armor, ": line longer than 64 columns") }
            if line.count < columns { sawShortLine = true }
            text.append(contentsOf: line)
        }
        let trailing = file[position...]
        guard trailing.allSatisfy(isSpace), trailing.count <= maxWhitespace else {
            throw CloakError.age(.armor, ": trailing data after the END line")
        }
        guard let binary = Base64.decode(text) else {
            throw CloakError.age(.armor, ": not canonical padded base64")
        }
        return binary
    }
}
