internal import Core

/// Runs a parsed template against data, writing into `output`.
struct TemplateExecutor {
    /// How a list of nodes finished: normally, or by `{{break}}` / `{{continue}}` inside a range.
    private enum Flow { case normal, breakLoop, continueLoop }

    let source: TemplateSource
    let definitions: [String: [TemplateNode]]
    let functions: TemplateFunctions
    var output = ""
    private var variables: [(name: String, value: TemplateValue)] = []
    private var depth = 0

    /// Go's limit is 100000; nested `{{template}}` calls are recursion here, so stay well below the stack size.
    private static let maximumDepth = 1000

    init(source: TemplateSource, definitions: [String: [TemplateNode]], functions: TemplateFunctions) {
        self.source = source
        self.definitions = definitions
        self.functions = functions
    }

    mutating func execute(_ nodes: [TemplateNode], data: TemplateValue) throws(CloakError) {
        variables = [("$", data)]
        _ = try run(nodes, dot: data)
    }

    /// A stack value rendered from a template is a config string; anything past this is a runaway loop or width,
    /// and stopping it with an error beats exhausting memory.
    static let maximumOutputBytes = 64 << 20

    private mutating func append(_ text: String, at offset: Int) throws(CloakError) {
        output += text
        guard output.utf8.count <= Self.maximumOutputBytes else {
            throw source.error("template output exceeds the limit of \(Self.maximumOutputBytes >> 20) MiB", at: offset)
        }
    }

    private mutating func run(_ nodes: [TemplateNode], dot: TemplateValue) throws(CloakError) -> Flow {
        for node in nodes {
            switch node {
            case .text(let text):
                try append(text, at: 0)
            case .action(let pipeline):
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.declarations.isEmpty { try append(Self.printed(value), at: pipeline.start) }
            case .conditional(let isWith, let pipeline, let body, let otherwise):
                let scope = variables.count
                let value = try evaluate(pipeline, dot: dot)
                var flow = Flow.normal
                if value.isTruthy {
                    flow = try run(body, dot: isWith ? value : dot)
                } else if let otherwise {
                    flow = try run(otherwise, dot: dot)
                }
                variables.removeLast(variables.count - scope)
                if flow != .normal { return flow }
            case .range(let pipeline, let body, let otherwise):
                let flow = try runRange(pipeline, body: body, otherwise: otherwise, dot: dot)
                if flow != .normal { return flow }
            case .include(let name, let pipeline, let start):
                try include(name, pipeline, start: start, dot: dot)
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
        }
        return .normal
    }

    /// An action's printed form: Go's `%v`, except that nil prints as `<no value>`.
    static func printed(_ value: TemplateValue) -> String {
        switch value {
        case .null: return "<no value>"
        case .string(let text): return text
        default: return GoFormat.format(value, verb: "v")
        }
    }

    /// The largest integer `range` accepts.
    static let maximumRangeCount = 100_000

    private mutating func runRange(
        _ pipeline: TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?, dot: TemplateValue
    ) throws(CloakError) -> Flow {
        let scope = variables.count
        defer { variables.removeLast(variables.count - scope) }
        var undeclared = pipeline
        undeclared.declarations = []
        let collection = try evaluate(undeclared, dot: dot)
        let elements: [(key: TemplateValue, value: TemplateValue)]
        switch collection {
        case .list(let items): elements = items.enumerated().map { (.int($0.offset), $0.element) }
        case .map(let map): elements = map.sortedKeys.map { (.string($0), map[$0] ?? .null) }
        case .int(let count):
            // Go would loop that long; a config template that does is a typo, and materialising it would exhaust
            // memory, so the count is capped.
            guard count <= Self.maximumRangeCount else {
                throw source.error(
                    "at <\(source.text(pipeline.start, pipeline.end))>: range over \(count) exceeds the limit of \(Self.maximumRangeCount) iterations",
                    at: pipeline.start)
            }
            elements = (0..<max(0, count)).map { (.int($0), .int($0)) }
        case .null: elements = []
        default:
            throw source.error(
                "at <\(source.text(pipeline.start, pipeline.end))>: range can't iterate over \(Self.printed(collection))",
                at: pipeline.start)
        }
        if elements.isEmpty {
            guard let otherwise else { return .normal }
            return try run(otherwise, dot: dot)
        }
        for element in elements {
            let iterationScope = variables.count
            switch pipeline.declarations.count {
            case 1: declare(pipeline.declarations[0], element.value, assign: pipeline.isAssignment)
            case 2:
                declare(pipeline.declarations[0], element.key, assign: pipeline.isAssignment)
                declare(pipeline.declarations[1], element.value, assign: pipeline.isAssignment)
            default: break
            }
            let flow = try run(body, dot: element.value)
            variables.removeLast(variables.count - iterationScope)
            if flow == .breakLoop { break }
        }
        return .normal
    }

    private mutating func include(_ name: String, _ pipeline: TemplatePipeline?, start: Int, dot: TemplateValue)
        throws(CloakError)
    {
        guard let body = definitions[name] else { throw source.error("no such template \"\(name)\"", at: start) }
        let value = try pipeline.map { (pipeline) throws(CloakError) in try evaluate(pipeline, dot: dot) } ?? .null
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw source.error("exceeded maximum template depth (\(Self.maximumDepth))", at: start)
        }
        let saved = variables
        variables = [("$", value)]
        _ = try run(body, dot: value)
        variables = saved
        depth -= 1
    }

    private mutating func declare(_ name: String, _ value: TemplateValue, assign: Bool) {
        if assign, let index = variables.lastIndex(where: { $0.name == name }) {
            variables[index].value = value
        } else {
            variables.append((name, value))
        }
    }

    // MARK: Pipelines and commands

    private mutating func evaluate(_ pipeline: TemplatePipeline, dot: TemplateValue) throws(CloakError)
        -> TemplateValue
    {
        var value: TemplateValue? = nil
        for command in pipeline.commands {
            value = try evaluate(command, dot: dot, piped: value)
        }
        let result = value ?? .null
        for name in pipeline.declarations { declare(name, result, assign: pipeline.isAssignment) }
        return result
    }

    private mutating func evaluate(_ command: TemplateCommand, dot: TemplateValue, piped: TemplateValue?)
        throws(CloakError) -> TemplateValue
    {
        let head = command.arguments[0]
        guard case .function(let name) = head.operand else {
            if command.arguments.count > 1 || piped != nil {
                throw failure("can't give argument to non-function \(source.text(head.start, head.end))", head)
            }
            return try evaluate(head, dot: dot)
        }
        let rest = command.arguments.dropFirst()
        if name == "and" || name == "or" {
            return try shortCircuit(name == "and", rest, piped: piped, dot: dot, head: head)
        }
        var arguments: [TemplateValue] = []
        for argument in rest { arguments.append(try evaluate(argument, dot: dot)) }
        if let piped { arguments.append(piped) }
        return try call(name, arguments, head)
    }

    /// Go 1.18+ `and`/`or`: stop at the first false (or true) argument and return it, else the last argument.
    private mutating func shortCircuit(
        _ isAnd: Bool, _ arguments: ArraySlice<TemplateArgument>, piped: TemplateValue?, dot: TemplateValue,
        head: TemplateArgument
    ) throws(CloakError) -> TemplateValue {
        let total = arguments.count + (piped == nil ? 0 : 1)
        guard total > 0 else {
            throw failure("wrong number of args for \(isAnd ? "and" : "or"): want at least 1 got 0", head)
        }
        var value = TemplateValue.null
        for argument in arguments {
            value = try evaluate(argument, dot: dot)
            if value.isTruthy != isAnd { return value }
        }
        return piped ?? value
    }

    private func call(_ name: String, _ arguments: [TemplateValue], _ head: TemplateArgument) throws(CloakError)
        -> TemplateValue
    {
        guard let function = functions[name] else { throw failure("function \"\(name)\" not defined", head) }
        do throws(CloakError) {
            return try function(arguments)
        } catch {
            throw failure("error calling \(name): \(error.message)", head)
        }
    }

    private mutating func evaluate(_ argument: TemplateArgument, dot: TemplateValue) throws(CloakError)
        -> TemplateValue
    {
        switch argument.operand {
        case .dot: return dot
        case .null: return .null
        case .literal(let value): return value
        case .field(let path): return try fields(dot, path, argument)
        case .variable(let name, let path):
            guard let entry = variables.last(where: { $0.name == name }) else {
                throw failure("undefined variable \"\(name)\"", argument)
            }
            return try fields(entry.value, path, argument)
        case .function(let name): return try call(name, [], argument)
        case .parenthesized(let pipeline, let path): return try fields(try evaluate(pipeline, dot: dot), path, argument)
        }
    }

    /// Go's field access on a map with `missingkey=error`.
    private func fields(_ receiver: TemplateValue, _ path: [String], _ argument: TemplateArgument) throws(CloakError)
        -> TemplateValue
    {
        var current = receiver
        for name in path {
            switch current {
            case .map(let map):
                guard let value = map[name] else { throw failure("map has no entry for key \"\(name)\"", argument) }
                current = value
            case .null:
                throw failure("nil pointer evaluating interface {}.\(name)", argument)
            default:
                throw failure("can't evaluate field \(name) in type \(current.goTypeName)", argument)
            }
        }
        return current
    }

    private func failure(_ message: String, _ argument: TemplateArgument) -> CloakError {
        source.error("at <\(source.text(argument.start, argument.end))>: \(message)", at: argument.start)
    }
}
