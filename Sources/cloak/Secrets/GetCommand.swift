import CLI
import Core
import Resolve
import YAML

struct Get: Command {
    static let spec = CommandSpec(
        Get.self, name: "get",
        abstract: "Print a secret's value (masked unless --mask=false).",
        discussion: "Formats: text (the value), json, env (NAME=value). Non-string values print as JSON.",
        options: [format, raw, path] + ScopeOptions.options, arguments: [name]
    )
    enum Format: String, ArgumentChoice { case text, json, env }
    static let name = ArgumentSpec("name", help: "The declared secret name.", completion: Completions.secrets)
    static let format = OptionSpec.value("format", help: "text, json or env.", choices: Format.choices)
    static let raw = OptionSpec.flag("raw", short: "r", help: "Print the value with no trailing newline (text only).")
    static let path = OptionSpec.value("path", help: "A query applied to the value, e.g. .password.")

    let name: String
    let format: Format?
    let raw: Bool
    let path: String?
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        name = try arguments.required(Self.name)
        format = arguments.choice(Self.format, as: Format.self)
        raw = arguments.flag(Self.raw)
        path = arguments.string(Self.path)
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            if raw, let format, format != .text {
                throw CloakError(.usage, "--raw is text-only and cannot be combined with --format=\(format.rawValue)")
            }
            let context = try SecretContext(scope)
            let service = try context.service(scope, forName: name)
            let value = try service.get(name)
            ValueOutput.register(value, with: context.masker)
            var node = try ValueOutput.node(value)
            if let path {
                node = try NodeQuery(path).evaluate(node) ?? .null
            }
            let output: String
            switch format ?? .text {
            case .text: output = ValueOutput.text(node) + (raw ? "" : "\n")
            case .json: output = ValueOutput.json(node)
            case .env: output = "\(name)=\(ValueOutput.text(node))\n"
            }
            context.masker.out(output)
        }
    }
}
