internal import Core

/// The template text as bytes, with what is needed to turn a byte offset into a `SourceLocation` and an error.
struct TemplateSource: Sendable {
    let name: String
    let bytes: [UInt8]
    let base: SourceLocation?
    private let lineStarts: [Int]

    init(text: String, name: String, base: SourceLocation?) {
        self.name = name
        self.base = base
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// Line and column (code points) of a byte offset, shifted onto the base location when there is one.
    func location(_ offset: Int) -> SourceLocation {
        let clamped = min(max(offset, 0), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        let line = low + 1
        var column = 1
        var index = lineStarts[low]
        while index < clamped {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        guard let base else { return SourceLocation(file: name, line: line, column: column) }
        guard base.line > 0 else { return SourceLocation(file: base.file) }
        if line == 1 {
            return SourceLocation(file: base.file, line: base.line, column: base.column > 0 ? base.column + column - 1 : 0)
        }
        return SourceLocation(file: base.file, line: base.line + line - 1, column: column)
    }

    /// A configuration error at `offset`, naming the template.
    func error(_ message: String, at offset: Int) -> CloakError {
        CloakError(.config, "template \"\(name)\": \(message)", at: location(offset))
    }

    /// The source text between two offsets, for error context such as `<.vars.x>`.
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[max(0, start)..<min(end, bytes.count)], as: UTF8.self)
    }
}
