import Core
import YAML

/// The Atmos YAML functions evaluated when a file is loaded (`!include`, `!include.raw`, `!env`, `!exec`,
/// `!repo-root`, `!cwd`). Functions that need credentials or other components (`!secret`, `!store`,
/// `!terraform.output`, …) are kept as tagged nodes for later phases.
struct YAMLFunctions {
    /// Tags left in place for later phases.
    static let deferredTags: Set<String> = [
        "!secret", "!store", "!store.get", "!terraform.output", "!terraform.state", "!template", "!aws.account_id",
        "!aws.caller_identity_arn", "!aws.caller_identity_user_id", "!aws.region", "!literal",
    ]

    /// Directory non-`./` include paths are relative to.
    var basePath: String
    var gitRoot: String?
    var workingDirectory: String
    var environment: Environment
    /// How many `!include`s deep this evaluation is.
    var depth = 0
    /// Loads another file for `!include` (cached by the caller).
    var include: (_ path: String, _ raw: Bool, _ at: SourceLocation?) throws(CloakError) -> Node

    /// Applies every load-time function under `node`; `file` is the file the node was read from.
    func apply(_ node: Node, file: String) throws(CloakError) -> Node {
        try node.replacing { (candidate) throws(CloakError) -> Node? in
            guard let tag = candidate.tag, tag.hasPrefix("!") else { return nil }
            return try call(tag, candidate, file: file)
        }
    }

    private func call(_ tag: String, _ node: Node, file: String) throws(CloakError) -> Node {
        if YAMLFunctions.deferredTags.contains(tag) { return node }
        let argument = (node.scalarText ?? "").trimmingWhitespace()
        let at = node.location
        switch tag {
        case "!env":
            let parts = splitArguments(argument)
            guard let name = parts.first else {
                throw CloakError(.config, "!env needs a variable name (!env NAME [default])", at: at)
            }
            let value = environment[name] ?? (parts.count > 1 ? parts[1...].joined(separator: " ") : "")
            return Node(.scalar(value, .doubleQuoted), location: at)
        case "!repo-root":
            guard let root = gitRoot ?? (argument.isEmpty ? nil : argument) else {
                throw CloakError(.config, "!repo-root: not inside a git repository (give a default: !repo-root PATH)", at: at)
            }
            return Node(.scalar(root, .doubleQuoted), location: at)
        case "!cwd":
            let path = argument.isEmpty ? workingDirectory : Path.absolute(argument, relativeTo: workingDirectory)
            return Node(.scalar(path, .doubleQuoted), location: at)
        case "!exec":
            guard !argument.isEmpty else { throw CloakError(.config, "!exec needs a command", at: at) }
            let output = try ShellCommand.run(argument, environment: environment, at: at)
            if let parsed = try? JSON.parse(output, file: "!exec output"), parsed.isMapping || parsed.isSequence {
                return relocate(parsed, to: at)
            }
            return Node(.scalar(output, .doubleQuoted), location: at)
        case "!include", "!include.raw":
            let parts = splitArguments(argument)
            guard let target = parts.first else {
                throw CloakError(.config, "\(tag) needs a path (\(tag) PATH [query])", at: at)
            }
            if target.contains("://") {
                throw CloakError(.config, "\(tag) \(target): remote includes are not supported; vendor the file locally", at: at)
            }
            let path: String
            if target.hasPrefix("/") {
                path = target
            } else if target.hasPrefix("./") || target.hasPrefix("../") {
                path = Path.absolute(target, relativeTo: Path.dirname(file))
            } else {
                path = Path.absolute(target, relativeTo: basePath)
            }
            guard depth < 32 else {
                throw CloakError(.config, "\(tag) \(target): includes nested more than 32 levels deep (an include cycle?)", at: at)
            }
            var included = try include(path, tag == "!include.raw", at)
            if tag == "!include" {
                var nested = self
                nested.depth += 1
                included = try nested.apply(included, file: path)
            }
            if parts.count > 1 {
                let expression = parts[1...].joined(separator: " ")
                let query: NodeQuery
                do { query = try NodeQuery(expression) } catch { throw CloakError(.config, error.message, at: at) }
                included = query.evaluate(included) ?? .null
            }
            return included
        default:
            throw CloakError(.config, "unknown YAML function \(tag) (supported: !include, !include.raw, !env, !exec, !repo-root, !cwd, !secret, !store, !store.get, !terraform.output, !terraform.state, !template)", at: at)
        }
    }

    private func relocate(_ node: Node, to location: SourceLocation?) -> Node {
        var out = node
        out.location = location
        return out
    }

    /// Splits on runs of spaces, honouring simple single or double quotes.
    func splitArguments(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        var hasToken = false
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                hasToken = true
            } else if c == " " || c == "\t" {
                if hasToken { parts.append(current) }
                current = ""
                hasToken = false
            } else {
                current.append(c)
                hasToken = true
            }
        }
        if hasToken { parts.append(current) }
        return parts
    }
}
