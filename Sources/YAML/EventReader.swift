import CLibYAML
import Core

/// Drives libyaml's event parser over one input buffer and builds the documents' node trees.
struct EventReader {
    /// A collection under construction.
    struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        var tag: String?
        var anchor: String?
        var location: SourceLocation
        var items: [Node] = []
        var pairs: [Node.Pair] = []
        var pendingKey: Node?
        /// Nodes in this subtree, for the alias-expansion budget.
        var size = 1
        /// Indices in `pairs` of `<<` entries to merge when the mapping ends.
        var mergeIndices: [Int] = []
        /// Key text → line of first definition, built once a mapping is too large for a linear duplicate scan.
        var keyLines: [String: Int]?
        /// Whole-line comments that precede this collection (it is a key or an item).
        var before: [String] = []
    }

    private struct Anchored {
        var node: Node
        var size: Int
    }

    /// Mappings with at most this many keys are checked for duplicates by scanning, larger ones by hashing.
    private static let linearKeyScanLimit = 16

    let input: UnsafeRawBufferPointer
    let file: String
    let options: LoadOptions
    private var frames: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var documents: [YAMLDocument] = []
    private var root: Node?
    private var expanded = 0
    private var comments: CommentCollector?

    init(input: UnsafeRawBufferPointer, file: String, options: LoadOptions) {
        self.input = input
        self.file = file
        self.options = options
        if options.comments { comments = CommentCollector(source: input) }
        frames.reserveCapacity(16)
    }

    mutating func run() throws(CloakError) -> [YAMLDocument] {
        if input.isEmpty { return [] }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw CloakError(.internal, "libyaml could not allocate a parser (out of memory)")
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_input_string(parser, input.baseAddress!.assumingMemoryBound(to: UInt8.self), input.count)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        while true {
            guard yaml_parser_parse(parser, event) == 1 else { throw parserError(parser.pointee) }
            let finished = event.pointee.type == YAML_STREAM_END_EVENT
            do throws(CloakError) {
                try handle(event.pointee)
            } catch {
                yaml_event_delete(event)
                throw error
            }
            yaml_event_delete(event)
            if finished { break }
        }
        return documents
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)
    }

    private mutating func handle(_ event: yaml_event_t) throws(CloakError) {
        if comments != nil { gatherComments(before: event) }
        switch event.type {
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let style: ScalarStyle =
                switch data.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            var node = Node(.scalar(text, style), tag: Self.tag(data.tag), location: location(event.start_mark))
            if comments != nil {
                node.comments.before = takeBeforeComments(collection: false)
                if style == .literal || style == .folded {
                    node.comments.trailing = comments!.blockHeaderComment(event.start_mark, event.end_mark)
                }
            }
            if let anchor = data.anchor { anchors[Self.string(anchor)] = Anchored(node: node, size: 1) }
            // A block scalar's end mark lies past its last line; its own comment sits on the header line.
            let isBlock = style == .literal || style == .folded
            try complete(node, size: 1, end: event.end_mark, canTrail: !isBlock)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor)
            guard let anchored = anchors[name] else {
                throw CloakError(
                    .config, "alias *\(name) refers to an unknown anchor; define &\(name) before using it",
                    at: location(event.start_mark))
            }
            expanded += anchored.size
            if expanded > options.maxAliasExpansion {
                throw CloakError(
                    .config,
                    "aliases expand to more than \(options.maxAliasExpansion) nodes; reduce alias use (alias bomb?)",
                    at: location(event.start_mark))
            }
            var node = anchored.node
            if comments != nil { node.comments = Comments(before: takeBeforeComments(collection: false)) }
            try complete(node, size: anchored.size, end: event.end_mark, canTrail: true)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            push(
                Frame(
                    isMapping: false, isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE, tag: Self.tag(data.tag),
                    anchor: data.anchor.map(Self.string), location: location(event.start_mark)))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            push(
                Frame(
                    isMapping: true, isFlow: data.style == YAML_FLOW_MAPPING_STYLE, tag: Self.tag(data.tag),
                    anchor: data.anchor.map(Self.string), location: location(event.start_mark)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = frames.removeLast()
            let content: Node.Content
            if frame.isMapping {
                content = .mapping(frame.mergeIndices.isEmpty ? frame.pairs : try merged(frame))
            } else {
                content = .sequence(frame.items)
            }
            var node = Node(content, tag: frame.tag, location: frame.location)
            node.comments.before = frame.before
            if let anchor = frame.anchor { anchors[anchor] = Anchored(node: node, size: frame.size) }
            try complete(node, size: frame.size, end: event.end_mark, canTrail: frame.isFlow)
        case YAML_DOCUMENT_START_EVENT:
            anchors.removeAll(keepingCapacity: true)
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            var document = YAMLDocument(root: root ?? .null)
            if comments != nil { document.footComments = comments!.takePending() }
            documents.append(document)
            root = nil
        case YAML_STREAM_END_EVENT:
            if comments != nil, !documents.isEmpty {
                documents[documents.count - 1].footComments.append(contentsOf: comments!.takePending())
            }
        default:
            break
        }
        if comments != nil { comments!.advance(past: event.end_mark) }
    }

    private mutating func push(_ frame: consuming Frame) {
        if comments != nil { frame.before = takeBeforeComments(collection: true) }
        frames.append(frame)
    }

    /// Places a finished node in its parent (or as the document root) and checks keys.
    private mutating func complete(_ node: consuming Node, size: Int, end: yaml_mark_t, canTrail: Bool)
        throws(CloakError)
    {
        let top = frames.count - 1
        var target: CommentCollector.Target = .root
        if top < 0 {
            root = node
        } else {
            frames[top].size += size
            if !frames[top].isMapping {
                frames[top].items.append(node)
                target = .item
            } else if let key = frames[top].pendingKey.take() {
                frames[top].pairs.append(Node.Pair(key: key, value: node))
                target = .value
            } else {
                if options.rejectDuplicateKeys { try checkDuplicate(node, top) }
                if options.mergeKeys && Self.isMergeKey(node) { frames[top].mergeIndices.append(frames[top].pairs.count) }
                frames[top].pendingKey = node
                target = .key
            }
        }
        if comments != nil { comments!.completed(target, line: canTrail ? end.line : nil) }
    }

    private mutating func checkDuplicate(_ key: Node, _ top: Int) throws(CloakError) {
        guard let text = key.scalarText else {
            for pair in frames[top].pairs where !pair.key.isScalar && pair.key == key {
                throw duplicate(key, text: nil, firstLine: pair.key.location?.line ?? 0)
            }
            return
        }
        if frames[top].keyLines == nil && frames[top].pairs.count >= Self.linearKeyScanLimit {
            var lines: [String: Int] = [:]
            lines.reserveCapacity(frames[top].pairs.count * 2)
            for pair in frames[top].pairs {
                if let k = pair.key.scalarText, lines[k] == nil { lines[k] = pair.key.location?.line ?? 0 }
            }
            frames[top].keyLines = lines
        }
        if frames[top].keyLines != nil {
            if let line = frames[top].keyLines![text] { throw duplicate(key, text: text, firstLine: line) }
            frames[top].keyLines![text] = key.location?.line ?? 0
            return
        }
        for pair in frames[top].pairs where pair.key.scalarText == text {
            throw duplicate(key, text: text, firstLine: pair.key.location?.line ?? 0)
        }
    }

    private func duplicate(_ key: Node, text: String?, firstLine: Int) -> CloakError {
        let name = text.map { "\"\(Self.printable($0))\"" } ?? "(collection)"
        return CloakError(
            .config, "mapping key \(name) already defined at line \(firstLine); remove or rename one of them",
            at: key.location)
    }

    /// A key name made safe for a one-line message.
    private static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\" {
                out += scalar.escaped(asASCII: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isMergeKey(_ node: Node) -> Bool {
        guard case .scalar("<<", let style) = node.content else { return false }
        if let tag = node.tag { return tag == Node.coreTagPrefix + "merge" }
        return style == .plain
    }

    /// The mapping's pairs with `<<` entries replaced by the keys they bring in: keys written in the mapping win,
    /// and among merged mappings the earlier one wins (YAML merge spec, go-yaml v3).
    private func merged(_ frame: Frame) throws(CloakError) -> [Node.Pair] {
        var explicit = Set<String>()
        var mergeAt = Set(frame.mergeIndices)
        for (index, pair) in frame.pairs.enumerated() where !mergeAt.contains(index) {
            if let text = pair.key.scalarText { explicit.insert(text) }
        }
        var taken = explicit
        var result: [Node.Pair] = []
        result.reserveCapacity(frame.pairs.count + 8)
        for (index, pair) in frame.pairs.enumerated() {
            guard mergeAt.remove(index) != nil else {
                result.append(pair)
                continue
            }
            let sources: [Node]
            switch pair.value.content {
            case .mapping: sources = [pair.value]
            case .sequence(let items) where items.allSatisfy(\.isMapping): sources = items
            default:
                throw CloakError(
                    .config, "merge key << needs a mapping or a sequence of mappings as its value",
                    at: pair.value.location ?? pair.key.location)
            }
            for source in sources {
                for entry in source.pairs ?? [] {
                    if let text = entry.key.scalarText {
                        if !taken.insert(text).inserted { continue }
                    }
                    result.append(entry)
                }
            }
        }
        return result
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    /// The tag as libyaml resolved it, with the non-specific `!` treated as no tag.
    private static func tag(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        if pointer[0] == UInt8(ascii: "!") && pointer[1] == 0 { return nil }
        return string(pointer)
    }

    private func parserError(_ parser: yaml_parser_t) -> CloakError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return CloakError(.internal, "libyaml ran out of memory while parsing", at: SourceLocation(file: file))
        case YAML_READER_ERROR:
            return CloakError(
                .config, "invalid YAML: \(problem); save the file as UTF-8 text",
                at: locationOfByte(parser.problem_offset))
        default:
            var message = "invalid YAML: \(problem)"
            if let context = parser.context { message += " \(String(cString: context))" }
            return CloakError(.config, message, at: location(parser.problem_mark))
        }
    }

    /// Line and column (in characters) of a byte offset, for errors libyaml reports by offset only.
    private func locationOfByte(_ offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in input.prefix(min(offset, input.count)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    // MARK: comments

    private mutating func gatherComments(before event: yaml_event_t) {
        let found = comments!.scan(upTo: event.start_mark)
        for comment in found {
            if comment.wholeLine || !attachTrailing(comment.text, line: comment.line) {
                comments!.pending.append(comment.text)
            }
        }
    }

    /// Puts an end-of-line comment on the node completed last, when that node ended on the comment's line.
    private mutating func attachTrailing(_ text: String, line: Int) -> Bool {
        guard comments!.lastLine == line else { return false }
        let top = frames.count - 1
        switch comments!.lastTarget {
        case .root:
            guard root != nil else { return false }
            root!.comments.trailing = text
        case .key:
            guard top >= 0, frames[top].pendingKey != nil else { return false }
            frames[top].pendingKey!.comments.trailing = text
        case .value:
            guard top >= 0, !frames[top].pairs.isEmpty else { return false }
            frames[top].pairs[frames[top].pairs.count - 1].value.comments.trailing = text
        case .item:
            guard top >= 0, !frames[top].items.isEmpty else { return false }
            frames[top].items[frames[top].items.count - 1].comments.trailing = text
        }
        comments!.lastLine = nil
        return true
    }

    /// Pending whole-line comments go to the next mapping key or sequence item (or a scalar document root; a root
    /// collection leaves them to its first key or item).
    private mutating func takeBeforeComments(collection: Bool) -> [String] {
        let top = frames.count - 1
        let takes = top < 0 ? !collection : (!frames[top].isMapping || frames[top].pendingKey == nil)
        return takes ? comments!.takePending() : []
    }
}
