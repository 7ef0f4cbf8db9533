internal import Core
internal import YAML

/// Builds the node tree from lexed items, checking function names and variable scopes as Go's parser does.
struct TemplateParser {
    /// How a nested list ended.
    private enum Terminator {
        case end
        case otherwise(ArraySlice<TemplateToken>, start: Int)
        case endOfInput
    }

    private let source: TemplateSource
    private let isFunction: (String) -> Bool
    private let items: [TemplateItem]
    private var position = 0
    private var variables = ["$"]
    private var rangeDepth = 0
    private var nesting = 0
    /// Blocks and parenthesized pipelines open at this point; bounded so hostile input errors instead of
    /// overflowing the stack (parsing and executing both recurse once per level).
    private var depth = 0
    static let maximumDepth = 200
    private(set) var definitions: [String: [TemplateNode]] = [:]

    private static let keywords: Set<String> = [
        "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
    ]

    init(source: TemplateSource, items: [TemplateItem], isFunction: @escaping (String) -> Bool) {
        self.source = source
        self.items = items
        self.isFunction = isFunction
    }

    /// Parses the whole template; `definitions` then holds the `define`d and `block` templates.
    mutating func parseRoot() throws(CloakError) -> [TemplateNode] {
        let (nodes, terminator) = try parseList()
        switch terminator {
        case .endOfInput: return nodes
        case .end: throw source.error("unexpected {{end}}", at: lastActionStart)
        case .otherwise(_, let start): throw source.error("unexpected {{else}}", at: start)
        }
    }

    private var lastActionStart: Int {
        if case .action(_, let start, _) = items[position - 1] { return start }
        return 0
    }

    private mutating func parseList() throws(CloakError) -> ([TemplateNode], Terminator) {
        var nodes: [TemplateNode] = []
        while position < items.count {
            let item = items[position]
            position += 1
            switch item {
            case .text(let text):
                nodes.append(.text(text))
            case .action(let tokens, let start, let end):
                guard let first = tokens.first else { throw source.error("missing value for command", at: start) }
                let rest = tokens.dropFirst()
                guard case .identifier(let word) = first.kind, Self.keywords.contains(word) else {
                    nodes.append(.action(try parsePipeline(tokens[...], start: start, end: end, context: "command")))
                    continue
                }
                switch word {
                case "end":
                    if let extra = rest.first { throw unexpected(extra, in: "end") }
                    return (nodes, .end)
                case "else":
                    return (nodes, .otherwise(rest, start: start))
                case "if", "with", "range":
                    nodes.append(try parseControl(word, rest, start: start, end: end))
                case "define":
                    let name = try templateName(rest, start: start, context: "define")
                    if let extra = rest.dropFirst().first { throw unexpected(extra, in: "define") }
                    guard nesting == 0 else { throw source.error("unexpected <define> in command", at: start) }
                    definitions[name] = try parseDefinitionBody(start: start)
                case "block":
                    let name = try templateName(rest, start: start, context: "block")
                    let pipeline = try parsePipeline(rest.dropFirst(), start: start, end: end, context: "block")
                    definitions[name] = try parseDefinitionBody(start: start)
                    nodes.append(.include(name: name, pipeline, start: start))
                case "template":
                    let name = try templateName(rest, start: start, context: "template")
                    let arguments = rest.dropFirst()
                    let pipeline =
                        arguments.isEmpty
                        ? nil : try parsePipeline(arguments, start: start, end: end, context: "template")
                    nodes.append(.include(name: name, pipeline, start: start))
                case "break", "continue":
                    guard rangeDepth > 0 else { throw source.error("{{\(word)}} outside {{range}}", at: start) }
                    if let extra = rest.first { throw unexpected(extra, in: word) }
                    nodes.append(word == "break" ? .breakLoop : .continueLoop)
                default:
                    throw source.error("unexpected keyword \(word)", at: start)
                }
            }
        }
        return (nodes, .endOfInput)
    }

    private func templateName(_ tokens: ArraySlice<TemplateToken>, start: Int, context: String) throws(CloakError)
        -> String
    {
        guard let first = tokens.first, case .string(let name) = first.kind else {
            throw source.error("missing name in {{\(context)}} (expected a quoted string)", at: tokens.first?.start ?? start)
        }
        return name
    }

    private mutating func parseDefinitionBody(start: Int) throws(CloakError) -> [TemplateNode] {
        let savedVariables = variables
        let savedRange = rangeDepth
        variables = ["$"]
        rangeDepth = 0
        nesting += 1
        let (body, terminator) = try parseList()
        nesting -= 1
        variables = savedVariables
        rangeDepth = savedRange
        switch terminator {
        case .end: return body
        case .otherwise(_, let elseStart): throw source.error("unexpected {{else}}", at: elseStart)
        case .endOfInput: throw source.error("unexpected EOF: missing {{end}}", at: start)
        }
    }

    private mutating func deeper(at offset: Int) throws(CloakError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw source.error("max expression depth exceeded (\(Self.maximumDepth) nested blocks or parentheses)", at: offset)
        }
    }

    private mutating func parseControl(
        _ keyword: String, _ tokens: ArraySlice<TemplateToken>, start: Int, end: Int
    ) throws(CloakError) -> TemplateNode {
        let scope = variables.count
        let pipeline = try parsePipeline(tokens, start: start, end: end, context: keyword)
        let bodyScope = variables.count
        try deeper(at: start)
        defer { depth -= 1 }
        nesting += 1
        if keyword == "range" { rangeDepth += 1 }
        let (body, terminator) = try parseList()
        if keyword == "range" { rangeDepth -= 1 }
        variables.removeLast(variables.count - bodyScope)
        var otherwise: [TemplateNode]? = nil
        switch terminator {
        case .end:
            break
        case .endOfInput:
            throw source.error("unexpected EOF: missing {{end}} for {{\(keyword)}}", at: start)
        case .otherwise(let rest, let elseStart):
            if let first = rest.first, case .identifier(let next) = first.kind,
                next == "if" || (next == "with" && keyword == "with")
            {
                // `{{else if x}}` is `{{else}}{{if x}}…{{end}}` sharing the outer {{end}}.
                otherwise = [try parseControl(next, rest.dropFirst(), start: elseStart, end: end)]
            } else {
                if let extra = rest.first { throw unexpected(extra, in: "else") }
                let (elseBody, elseTerminator) = try parseList()
                switch elseTerminator {
                case .end: otherwise = elseBody
                case .otherwise(_, let again): throw source.error("unexpected {{else}} after {{else}}", at: again)
                case .endOfInput: throw source.error("unexpected EOF: missing {{end}} for {{\(keyword)}}", at: start)
                }
            }
        }
        nesting -= 1
        variables.removeLast(variables.count - scope)
        let isWith = keyword == "with"
        if keyword == "range" { return .range(pipeline, body: body, otherwise: otherwise) }
        return .conditional(isWith: isWith, pipeline, body: body, otherwise: otherwise)
    }

    private func unexpected(_ token: TemplateToken, in context: String) -> CloakError {
        source.error("unexpected \(describe(token)) in \(context)", at: token.start)
    }

    private func describe(_ token: TemplateToken) -> String {
        "\"\(source.text(token.start, token.end))\""
    }

    // MARK: Pipelines

    /// Parses a whole action's tokens (declarations first) into a pipeline.
    private mutating func parsePipeline(
        _ tokens: ArraySlice<TemplateToken>, start: Int, end: Int, context: String
    ) throws(CloakError) -> TemplatePipeline {
        var rest = tokens
        var declarations: [String] = []
        var isAssignment = false
        let kinds = rest.prefix(4).map(\.kind)
        if kinds.count >= 2, case .variable(let name) = kinds[0], kinds[1] == .declare || kinds[1] == .assign {
            declarations = [name]
            isAssignment = kinds[1] == .assign
            rest = rest.dropFirst(2)
        } else if kinds.count == 4, case .variable(let first) = kinds[0], kinds[1] == .comma,
            case .variable(let second) = kinds[2], kinds[3] == .declare || kinds[3] == .assign
        {
            guard context == "range" else {
                throw source.error("too many declarations in \(context)", at: tokens[tokens.startIndex].start)
            }
            declarations = [first, second]
            isAssignment = kinds[3] == .assign
            rest = rest.dropFirst(4)
        }
        if isAssignment {
            for name in declarations where !variables.contains(name) {
                throw source.error("undefined variable \"\(name)\"", at: tokens.first?.start ?? start)
            }
        }
        var cursor = rest
        var pipeline = try parseCommands(&cursor, start: rest.first?.start ?? end, context: context)
        if let extra = cursor.first { throw unexpected(extra, in: context) }
        pipeline.declarations = declarations
        pipeline.isAssignment = isAssignment
        if !isAssignment { variables.append(contentsOf: declarations) }
        return pipeline
    }

    /// Commands separated by `|`, up to the end of the tokens or an unmatched `)`.
    private mutating func parseCommands(
        _ cursor: inout ArraySlice<TemplateToken>, start: Int, context: String
    ) throws(CloakError) -> TemplatePipeline {
        var commands: [TemplateCommand] = []
        while true {
            let command = try parseCommand(&cursor, fallbackStart: start)
            if commands.count > 0, let head = command.arguments.first {
                switch head.operand {
                case .literal, .null, .dot:
                    throw source.error(
                        "non executable command in pipeline stage \(commands.count + 1)", at: head.start)
                default: break
                }
            }
            commands.append(command)
            guard let next = cursor.first, next.kind == .pipe else { break }
            cursor = cursor.dropFirst()
        }
        let end = commands.last?.end ?? start
        return TemplatePipeline(
            declarations: [], isAssignment: false, commands: commands, start: commands.first?.start ?? start, end: end)
    }

    private mutating func parseCommand(
        _ cursor: inout ArraySlice<TemplateToken>, fallbackStart: Int
    ) throws(CloakError) -> TemplateCommand {
        var arguments: [TemplateArgument] = []
        while let token = cursor.first, token.kind != .pipe, token.kind != .rightParen {
            if !arguments.isEmpty, !token.spaced, token.kind != .leftParen {
                throw source.error("missing space before \(describe(token))", at: token.start)
            }
            arguments.append(try parseOperand(&cursor))
        }
        guard let first = arguments.first else {
            throw source.error("missing value for command", at: cursor.first?.start ?? fallbackStart)
        }
        if case .null = first.operand, arguments.count == 1 {
            throw source.error("nil is not a command", at: first.start)
        }
        return TemplateCommand(arguments: arguments, start: first.start, end: arguments[arguments.count - 1].end)
    }

    private mutating func parseOperand(_ cursor: inout ArraySlice<TemplateToken>) throws(CloakError)
        -> TemplateArgument
    {
        let token = cursor.removeFirst()
        var operand: TemplateOperand
        var end = token.end
        switch token.kind {
        case .identifier(let word):
            switch word {
            case "true": operand = .literal(.bool(true))
            case "false": operand = .literal(.bool(false))
            case "nil": operand = .null
            default:
                if Self.keywords.contains(word) { throw unexpected(token, in: "command") }
                guard isFunction(word) else { throw source.error("function \"\(word)\" not defined", at: token.start) }
                operand = .function(word)
            }
        case .field(let name): operand = .field([name])
        case .variable(let name):
            guard variables.contains(name) else {
                throw source.error("undefined variable \"\(name)\"", at: token.start)
            }
            operand = .variable(name, [])
        case .dot: operand = .dot
        case .string(let text): operand = .literal(.string(text))
        case .char(let value): operand = .literal(.int(value))
        case .number(let text): operand = .literal(try number(text, at: token.start))
        case .leftParen:
            try deeper(at: token.start)
            defer { depth -= 1 }
            let inner = try parseCommands(&cursor, start: token.end, context: "parenthesized pipeline")
            guard let close = cursor.first, close.kind == .rightParen else {
                throw source.error("unclosed left paren", at: token.start)
            }
            cursor = cursor.dropFirst()
            end = close.end
            operand = .parenthesized(inner, [])
        default:
            throw source.error("unexpected \(describe(token)) in operand", at: token.start)
        }
        // Fields written directly after a term (`$x.a`, `(f).b`, `.a.b`) chain onto it.
        while let next = cursor.first, !next.spaced, case .field(let name) = next.kind {
            switch operand {
            case .field(let path): operand = .field(path + [name])
            case .variable(let variable, let path): operand = .variable(variable, path + [name])
            case .parenthesized(let inner, let path): operand = .parenthesized(inner, path + [name])
            default: throw source.error("unexpected . after term \(describe(token))", at: next.start)
            }
            end = next.end
            cursor = cursor.dropFirst()
        }
        return TemplateArgument(operand: operand, start: token.start, end: end)
    }

    /// A Go number constant: ints (decimal, `0x`, `0o`, `0b`, `0755`), floats; `_` separators allowed.
    private func number(_ text: String, at start: Int) throws(CloakError) -> TemplateValue {
        switch ResolvedScalar.resolvePlain(text) {
        case .int(let value): return .int(value)
        case .uint(let value): return .float(Double(value))
        case .float(let value, _) where value.isFinite: return .float(value)
        default: throw source.error("bad number syntax: \"\(text)\"", at: start)
        }
    }
}
