import CLI
import Core
import Resolve
import YAML

struct Pull: Command {
    static let spec = CommandSpec(
        Pull.self, name: "pull",
        abstract: "Fetch every declared secret of a component as dotenv or JSON (masked on stdout unless --mask=false).",
        options: [output, format] + ScopeOptions.options)
    static let output = OptionSpec.value("output", short: "o", help: "Write plaintext to this file (mode 0600) instead of stdout.")
    static let format = OptionSpec.value("format", help: "env or json.", default: "env")

    let output: String?
    let format: String
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) {
        output = arguments.string(Self.output)
        format = arguments.string(Self.format) ?? "env"
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            guard format == "env" || format == "json" else { throw CloakError(.usage, "unsupported format (use env or json): \"\(format)\"") }
            let context = try SecretContext(scope)
            let stack = try context.requireStack(scope)
            let component = try context.requireComponent(scope, stack: stack)
            let resolved = try context.catalog.component(component, stack: stack, type: scope.type)
            let service = try SecretService(component: resolved, config: context.catalog.config, backends: context.backends)
            var values: [(String, Node)] = []
            for (decl, result) in service.resolveAll() {
                switch result {
                case .success(let value):
                    ValueOutput.register(value, with: context.masker)
                    values.append((decl.name, try ValueOutput.node(value)))
                case .failure(let error):
                    context.masker.err("⚠ Skipping `\(decl.name)`: \(error.message)")
                }
            }
            var text: String
            if format == "json" {
                text = JSON.serialize(
                    .mapping(values.map { Node.Pair(key: .string($0.0), value: $0.1) }),
                    options: JSONOptions(indent: "  ", sortKeys: true, escapeHTML: false))
            } else {
                text = values.map { "\($0.0)=\(ValueOutput.text($0.1).replacingNewlines())\n" }.joined()
            }
            if let output {
                var bytes = Array(text.utf8)
                defer { for i in bytes.indices { bytes[i] = 0 } }
                try AtomicFile.write(path: output, bytes: bytes, mode: 0o600)
                Console.err("✓ Wrote \(values.count) secret(s) to \(output)")
            } else {
                context.masker.out(text)
            }
            text = ""
        }
    }
}

struct Push: Command {
    static let spec = CommandSpec(
        Push.self, name: "push",
        abstract: "Write every key of a dotenv/JSON file to its declared backend; undeclared keys fail before any write.",
        options: [input, format] + ScopeOptions.options)
    static let input = OptionSpec.value("input", help: "Input file (default .env; - for stdin).", default: ".env")
    static let format = OptionSpec.value("format", help: "env or json.", default: "env")

    let input: String
    let format: String
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) {
        input = arguments.string(Self.input) ?? ".env"
        format = arguments.string(Self.format) ?? "env"
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let entries = try SecretFileInput.read(input, format: format)
            let context = try SecretContext(scope)
            let stack = try context.requireStack(scope)
            let component = try context.requireComponent(scope, stack: stack)
            let resolved = try context.catalog.component(component, stack: stack, type: scope.type)
            let service = try SecretService(component: resolved, config: context.catalog.config, backends: context.backends)
            for (key, _) in entries where !service.declarations.contains(where: { $0.name == key }) {
                throw CloakError(.validation, "validation failed: key \"\(key)\" is not declared as a secret")
            }
            for (key, text) in entries {
                var bytes = Array(text.utf8)
                _ = try service.set(key, .text(SecretBytes(consuming: &bytes)), componentGiven: false)
            }
            Console.err("✓ Pushed \(entries.count) secret(s) for component `\(component)` in stack `\(stack)`")
        }
    }
}

extension String {
    /// Newlines written as the two characters `\n`, so a dotenv line stays one line.
    func replacingNewlines() -> String {
        var out = ""
        for c in self { if c == "\n" { out += "\\n" } else { out.append(c) } }
        return out
    }
}
