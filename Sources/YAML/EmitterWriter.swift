/// The text builder behind `YAMLEmitter`.
struct EmitterWriter {
    enum Style {
        case plain, single, double, literal
    }

    /// Where a value follows its indicator: `key:` or `- ` (and `? `).
    private enum Context {
        case mappingValue, item
    }

    var out = ""
    let best: Int
    let comments: Bool

    /// Longest key go-yaml writes as a simple `key: value`; longer or multi-line keys use `? key`.
    private static let maxSimpleKeyLength = 128

    init(options: EmitOptions) {
        best = (2...9).contains(options.indent) ? options.indent : 2
        comments = options.comments
        out.reserveCapacity(1024)
    }

    private static let spaceRuns: [String] = (0..<64).map { String(repeating: " ", count: $0) }

    private func spaces(_ count: Int) -> String {
        count < Self.spaceRuns.count ? Self.spaceRuns[count] : String(repeating: " ", count: count)
    }

    /// go-yaml v3 indents a block inside a mapping to the next multiple of the indent.
    private func nested(_ indent: Int) -> Int {
        best * ((indent + best) / best)
    }

    // MARK: documents and collections

    mutating func writeDocument(_ document: YAMLDocument) {
        let root = document.root
        switch root.content {
        case .mapping(let pairs) where !pairs.isEmpty:
            writeBefore(root.comments.before, at: 0)
            if let tag = root.tag { out += Self.tagText(tag) + trailingText(root.comments.trailing) + "\n" }
            writeMapping(pairs, indent: 0, firstInline: false)
            writeBefore(root.comments.after, at: 0)
        case .sequence(let items) where !items.isEmpty:
            writeBefore(root.comments.before, at: 0)
            if let tag = root.tag { out += Self.tagText(tag) + trailingText(root.comments.trailing) + "\n" }
            writeSequence(items, indent: 0, firstInline: false)
            writeBefore(root.comments.after, at: 0)
        default:
            writeBefore(root.comments.before, at: 0)
            if case .scalar("", .plain) = root.content, root.tag == nil {
                // A document must show something; go-yaml writes a nil document as null.
                out += "null" + trailingText(root.comments.trailing) + "\n"
            } else {
                if let tag = root.tag { out += Self.tagText(tag) + " " }
                switch root.content {
                case .mapping: out += "{}" + trailingText(root.comments.trailing) + "\n"
                case .sequence: out += "[]" + trailingText(root.comments.trailing) + "\n"
                case .scalar:
                    writeScalarValue(root, contentIndent: best, trailing: root.comments.trailing)
                }
            }
        }
        if comments {
            for line in document.footComments { out += "#" + Self.oneLine(line) + "\n" }
        }
    }

    private mutating func writeMapping(_ pairs: [Node.Pair], indent: Int, firstInline: Bool) {
        for (index, pair) in pairs.enumerated() {
            if !(index == 0 && firstInline) {
                writeBefore(pair.key.comments.before + pair.value.comments.before, at: indent)
                out += spaces(indent)
            }
            if isSimpleKey(pair.key) {
                writeKey(pair.key)
                out += ":"
                writeValue(
                    pair.value, childIndent: nested(indent), context: .mappingValue,
                    extraTrailing: pair.key.comments.trailing)
            } else {
                out += "?"
                writeValue(pair.key, childIndent: indent + 2, context: .item, extraTrailing: nil)
                out += spaces(indent) + ":"
                writeValue(pair.value, childIndent: indent + 2, context: .item, extraTrailing: nil)
            }
        }
    }

    private mutating func writeSequence(_ items: [Node], indent: Int, firstInline: Bool) {
        for (index, item) in items.enumerated() {
            if !(index == 0 && firstInline) {
                writeBefore(item.comments.before, at: indent)
                out += spaces(indent)
            }
            out += "-"
            writeValue(item, childIndent: indent + 2, context: .item, extraTrailing: nil)
        }
    }

    /// Writes a value right after its indicator (`key:`, `-`, `?`), ending with a line break.
    private mutating func writeValue(
        _ node: Node, childIndent: Int, context: Context, extraTrailing: String?
    ) {
        let trailing = node.comments.trailing ?? extraTrailing
        switch node.content {
        case .scalar:
            out += " "
            if let tag = node.tag { out += Self.tagText(tag) + " " }
            writeScalarValue(node, contentIndent: childIndent, trailing: trailing)
        case .mapping(let pairs) where pairs.isEmpty:
            out += " " + (node.tag.map { Self.tagText($0) + " " } ?? "") + "{}" + trailingText(trailing) + "\n"
        case .sequence(let items) where items.isEmpty:
            out += " " + (node.tag.map { Self.tagText($0) + " " } ?? "") + "[]" + trailingText(trailing) + "\n"
        case .mapping(let pairs):
            let firstHasComments = comments && !(pairs[0].key.comments.before + pairs[0].value.comments.before).isEmpty
            if context == .item && node.tag == nil && (trailing == nil || !comments) && !firstHasComments
                && isSimpleKey(pairs[0].key)
            {
                out += " "
                writeMapping(pairs, indent: childIndent, firstInline: true)
            } else {
                if let tag = node.tag { out += " " + Self.tagText(tag) }
                out += trailingText(trailing) + "\n"
                writeMapping(pairs, indent: childIndent, firstInline: false)
            }
            writeBefore(node.comments.after, at: childIndent)
        case .sequence(let items):
            let firstHasComments = comments && !items[0].comments.before.isEmpty
            if context == .item && node.tag == nil && (trailing == nil || !comments) && !firstHasComments {
                out += " "
                writeSequence(items, indent: childIndent, firstInline: true)
            } else {
                if let tag = node.tag { out += " " + Self.tagText(tag) }
                out += trailingText(trailing) + "\n"
                writeSequence(items, indent: childIndent, firstInline: false)
            }
            writeBefore(node.comments.after, at: childIndent)
        }
    }

    // MARK: scalars

    /// A scalar value (its tag already written) plus its trailing comment and line break; literal blocks put
    /// their lines at `contentIndent`.
    mutating func writeScalarValue(_ node: Node, contentIndent: Int, trailing: String?) {
        guard case .scalar(let text, let scalarStyle) = node.content else { return }
        let style = Self.style(of: node, text: text, scalarStyle: scalarStyle, simpleKey: false)
        if style == .literal {
            writeLiteral(text, contentIndent: contentIndent, trailing: trailing)
            return
        }
        if style == .plain && text.isEmpty {
            // Nothing was written after the indicator's separating space; do not leave it dangling.
            if out.hasSuffix(" ") { out.removeLast() }
        }
        writeInline(text, style)
        out += trailingText(trailing) + "\n"
    }

    private mutating func writeKey(_ key: Node) {
        guard case .scalar(let text, let scalarStyle) = key.content else {
            // Only empty collections are simple keys.
            out += key.isMapping ? "{}" : "[]"
            return
        }
        if let tag = key.tag { out += Self.tagText(tag) + " " }
        writeInline(text, Self.style(of: key, text: text, scalarStyle: scalarStyle, simpleKey: true))
    }

    private func isSimpleKey(_ key: Node) -> Bool {
        switch key.content {
        case .scalar(let text, _):
            let length = text.utf8.count + (key.tag?.utf8.count ?? 0)
            return length <= Self.maxSimpleKeyLength && !text.unicodeScalars.contains(where: ScalarAnalysis.isBreak)
        case .mapping(let pairs): return pairs.isEmpty && key.tag == nil
        case .sequence(let items): return items.isEmpty && key.tag == nil
        }
    }

    /// The style for a scalar node, resolving its text once.
    private static func style(of node: Node, text: String, scalarStyle: ScalarStyle, simpleKey: Bool) -> Style {
        let tagged = node.tag != nil && node.tag != "!"
        if !tagged && scalarStyle == .plain {
            let isString = ScalarResolver.resolvePlain(text, timestamps: true).isString
            return style(text: text, stringTyped: isString, tagged: false, simpleKey: simpleKey, plainReadsBack: isString)
        }
        return style(text: text, stringTyped: node.isStringScalar, tagged: tagged, simpleKey: simpleKey)
    }

    /// go-yaml v3's choice (encoder `stringv`, then libyaml `select_scalar_style`).
    static func style(
        text: String, stringTyped: Bool, tagged: Bool, simpleKey: Bool, plainReadsBack: Bool? = nil
    ) -> Style {
        var requested: Style
        if !stringTyped {
            requested = .plain
        } else if text.utf8.contains(UInt8(ascii: "\n")) {
            requested = .literal
        } else if tagged {
            requested = .plain
        } else {
            let plainReadsBack = plainReadsBack ?? ScalarResolver.resolvePlain(text, timestamps: true).isString
            requested = plainReadsBack && !isBase60Float(text) && !isOldBool(text) ? .plain : .double
        }
        let analysis = ScalarAnalysis(text)
        if requested == .plain {
            if !analysis.plainAllowed || (text.isEmpty && simpleKey) { requested = .single }
        }
        if requested == .single && (!analysis.singleQuotedAllowed || analysis.hasUnusualBreak) { requested = .double }
        if requested == .literal && (!analysis.blockAllowed || simpleKey) { requested = .double }
        return requested
    }

    /// YAML 1.1 bools, which go-yaml quotes so that older readers do not take them for bools.
    private static func isOldBool(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 5,
            "yYnNoOtTfF".utf8.contains(first)
        else { return false }
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
            "true", "True", "TRUE", "false", "False", "FALSE":
            return true
        default: return false
        }
    }

    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: YAML 1.1 sexagesimal numbers, which go-yaml quotes.
    private static func isBase60Float(_ text: String) -> Bool {
        let s = Array(text.utf8)
        var i = 0
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        if i < s.count && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
        guard i < s.count, isDigit(s[i]) else { return false }
        i += 1
        while i < s.count && (isDigit(s[i]) || s[i] == UInt8(ascii: "_")) { i += 1 }
        var groups = 0
        while i < s.count && s[i] == UInt8(ascii: ":") {
            i += 1
            // [0-5]?[0-9]
            if i + 1 < s.count && s[i] >= 48 && s[i] <= 53 && isDigit(s[i + 1]) {
                i += 2
            } else if i < s.count && isDigit(s[i]) {
                i += 1
            } else {
                return false
            }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < s.count && s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count && (isDigit(s[i]) || s[i] == UInt8(ascii: "_")) { i += 1 }
        }
        return i == s.count
    }

    mutating func writeInline(_ text: String, _ style: Style) {
        switch style {
        case .plain:
            out += text
        case .single:
            out += "'"
            for c in text.unicodeScalars {
                if c == "'" { out += "''" } else { out.unicodeScalars.append(c) }
            }
            out += "'"
        case .double, .literal:
            writeDoubleQuoted(text)
        }
    }

    private mutating func writeDoubleQuoted(_ text: String) {
        out += "\""
        for c in text.unicodeScalars {
            let v = c.value
            if ScalarAnalysis.isPrintable(c) && v != 0xFEFF && !ScalarAnalysis.isBreak(c) && c != "\"" && c != "\\" {
                out.unicodeScalars.append(c)
                continue
            }
            switch v {
            case 0x00: out += "\\0"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0B: out += "\\v"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x85: out += "\\N"
            case 0xA0: out += "\\_"
            case 0x2028: out += "\\L"
            case 0x2029: out += "\\P"
            case 0...0xFF: out += "\\x" + Self.hex(v, width: 2)
            case 0x100...0xFFFF: out += "\\u" + Self.hex(v, width: 4)
            default: out += "\\U" + Self.hex(v, width: 8)
            }
        }
        out += "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private mutating func writeLiteral(_ text: String, contentIndent: Int, trailing: String?) {
        out += "|"
        if let first = text.unicodeScalars.first, first == " " || ScalarAnalysis.isBreak(first) {
            // go-yaml writes the indent setting as the indentation indicator, wherever the block sits.
            out += String(best)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if !text.hasSuffix("\n") {
            out += "-"
        } else if text == "\n" || text.hasSuffix("\n\n") {
            out += "+"
        }
        out += trailingText(trailing) + "\n"
        let body = text.hasSuffix("\n") ? lines.dropLast() : lines[...]
        let pad = spaces(contentIndent)
        for line in body {
            if !line.isEmpty { out += pad + line }
            out += "\n"
        }
    }

    // MARK: comments and tags

    private mutating func writeBefore(_ lines: [String], at indent: Int) {
        guard comments else { return }
        for line in lines { out += spaces(indent) + "#" + Self.oneLine(line) + "\n" }
    }

    private func trailingText(_ comment: String?) -> String {
        guard comments, let comment else { return "" }
        return " #" + Self.oneLine(comment)
    }

    private static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: ScalarAnalysis.isBreak) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { ScalarAnalysis.isBreak($0) ? " " : $0 }))
    }

    /// `!!x` for core tags, local tags as written, anything else verbatim (`!<uri>`).
    static func tagText(_ tag: String) -> String {
        if tag.hasPrefix(Node.coreTagPrefix) { return "!!" + tag.dropFirst(Node.coreTagPrefix.count) }
        if tag.hasPrefix("!") { return tag }
        return "!<" + tag + ">"
    }
}
