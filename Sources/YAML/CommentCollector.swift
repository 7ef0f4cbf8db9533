import CLibYAML

/// Recovers comments, which libyaml drops, from the source text between events.
///
/// Outside a node's own span only whitespace, indicators and comments can appear, so every `#` found in the gap
/// between one event's end mark and the next event's start mark begins a comment running to the end of its line.
/// libyaml's mark `index` counts characters, so the collector keeps a character/byte cursor moving forward.
struct CommentCollector {
    /// Which node, relative to the innermost open collection, was completed last.
    enum Target {
        case root, key, value, item
    }

    /// A comment found in a gap.
    struct Found {
        var text: String
        /// 0-based line.
        var line: Int
        /// Only whitespace precedes the `#` on its line.
        var wholeLine: Bool
    }

    private let source: UnsafeRawBufferPointer
    /// Length of a UTF-8 byte-order mark at the start (0 or 3).
    private let bomLength: Int
    private var byte: Int
    private var char = 0
    /// Whole-line comments waiting for the next key or item (or for the document's end).
    var pending: [String] = []
    var lastTarget: Target = .root
    /// 0-based line on which the last completed node ended, if it may take an end-of-line comment.
    var lastLine: Int?

    init(source: UnsafeRawBufferPointer) {
        self.source = source
        // libyaml does not count a UTF-8 byte-order mark as a character.
        bomLength = source.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        byte = bomLength
    }

    /// Whether the input is UTF-8 (libyaml also reads UTF-16, whose bytes this scanner cannot follow).
    private var isUTF8: Bool {
        !(source.starts(with: [0xFF, 0xFE]) || source.starts(with: [0xFE, 0xFF]))
    }

    /// The byte offset of a character index at or after the cursor.
    private func byteOffset(ofCharacter target: Int) -> Int {
        var b = byte
        var c = char
        if target < c {
            b = bomLength
            c = 0
        }
        while c < target && b < source.count {
            b += 1
            while b < source.count && source[b] & 0xC0 == 0x80 { b += 1 }
            c += 1
        }
        return b
    }

    /// The comments between the cursor and `mark`; moves the cursor to `mark`.
    mutating func scan(upTo mark: yaml_mark_t) -> [Found] {
        guard isUTF8, mark.index > char else { return [] }
        let end = byteOffset(ofCharacter: mark.index)
        var found: [Found] = []
        var line = mark.line
        // Count lines backwards from the mark so that comments get their line without a second pass.
        var newlinesAfter = 0
        var i = end - 1
        var hashes: [(offset: Int, newlinesAfter: Int)] = []
        while i >= byte {
            let b = source[i]
            if b == UInt8(ascii: "\n") {
                newlinesAfter += 1
            } else if b == UInt8(ascii: "#") {
                hashes.append((i, newlinesAfter))
            }
            i -= 1
        }
        for (offset, after) in hashes.reversed() {
            // A `#` inside an earlier comment of the same line is part of that comment.
            if let previous = found.last, previous.line == mark.line - after { continue }
            line = mark.line - after
            found.append(Found(text: lineText(from: offset + 1), line: line, wholeLine: onlyBlanksBefore(offset)))
        }
        byte = end
        char = mark.index
        return found
    }

    /// Moves the cursor past an event's span.
    mutating func advance(past mark: yaml_mark_t) {
        guard mark.index > char else { return }
        byte = byteOffset(ofCharacter: mark.index)
        char = mark.index
    }

    /// The comment on a block scalar's header line (`key: |- # text`), which lies inside the scalar's own span.
    func blockHeaderComment(_ start: yaml_mark_t, _ end: yaml_mark_t) -> String? {
        guard isUTF8 else { return nil }
        let from = byteOffset(ofCharacter: start.index)
        var i = from
        var sawIndicator = false
        while i < source.count {
            let b = source[i]
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { return nil }
            if b == UInt8(ascii: "|") || b == UInt8(ascii: ">") { sawIndicator = true }
            if sawIndicator && b == UInt8(ascii: "#") && i > from
                && (source[i - 1] == UInt8(ascii: " ") || source[i - 1] == UInt8(ascii: "\t"))
            {
                return lineText(from: i + 1)
            }
            i += 1
        }
        return nil
    }

    mutating func takePending() -> [String] {
        defer { pending.removeAll() }
        return pending
    }

    mutating func completed(_ target: Target, line: Int?) {
        lastTarget = target
        lastLine = line
    }

    private func lineText(from start: Int) -> String {
        var end = start
        while end < source.count && source[end] != UInt8(ascii: "\n") && source[end] != UInt8(ascii: "\r") { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: source[start..<end]), as: UTF8.self)
    }

    private func onlyBlanksBefore(_ offset: Int) -> Bool {
        var i = offset - 1
        while i >= bomLength {
            let b = source[i]
            if b == UInt8(ascii: "\n") { return true }
            if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") { return false }
            i -= 1
        }
        return true
    }
}
