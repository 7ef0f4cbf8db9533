import ArgumentParser
import Core
import Resolve
import YAML

struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a secret's value (masked unless --mask=false).",
        discussion: "Formats: text (the value), json, env (NAME=value). Non-string values print as JSON."
    )
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, env }

    @Argument(help: "The declared secret name.", completion: Completions.secrets) var name: String
    @Option(name: .long, help: "text, json or env.") var format: Format?
    @Flag(name: .shortAndLong, help: "Print the value with no trailing newline (text only).") var raw = false
    @Option(name: .long, help: "A query applied to the value, e.g. .password.") var path: String?
    @OptionGroup var scope: ScopeOptions

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
