import CLI
import Core
import Resolve

struct Set: Command {
    static let spec = CommandSpec(
        Set.self, name: "set", aliases: ["add"],
        abstract: "Write a secret's value to its backend.",
        discussion: """
            The value comes from --stdin, else NAME=VALUE, else a masked prompt on a terminal. Prefer --stdin or the \
            prompt: a value in argv is visible to other processes and lands in shell history.
            """,
        options: [stdin, force] + ScopeOptions.options, arguments: [assignment]
    )
    static let assignment = ArgumentSpec("assignment", .optional, help: "NAME or NAME=VALUE.", completion: Completions.secrets)
    static let stdin = OptionSpec.flag("stdin", help: "Read the value from stdin (trailing newlines removed).")
    static let force = OptionSpec.flag("force", short: "f", help: "Accepted for compatibility; set never asks before overwriting.")

    let assignment: String?
    let stdin: Bool
    let force: Bool
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) {
        assignment = arguments.argument(Self.assignment)
        stdin = arguments.flag(Self.stdin)
        force = arguments.flag(Self.force)
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let context = try SecretContext(scope)
            var name = ""
            var inline: String?
            if let assignment {
                if let eq = assignment.firstIndex(of: "=") {
                    name = String(assignment[..<eq]).trimmingWhitespaceAndNewlines()
                    inline = String(assignment[assignment.index(after: eq)...])
                } else {
                    name = assignment.trimmingWhitespaceAndNewlines()
                }
            }
            var service: SecretService
            if name.isEmpty {
                service = try context.service(scope)
                guard ScopeOptions.interactive, let pick = Picker.choose("Select a secret", service.declarations.map(\.name)) else {
                    throw CloakError(.usage, "required flag not provided: secret NAME is required (cloak set NAME --stdin, or NAME=VALUE)")
                }
                name = pick
            } else {
                service = try context.service(scope, forName: name)
            }
            _ = try service.declaration(name)
            let value = try SecretInput.read(useStdin: stdin, inline: inline)
            context.masker.register(value)
            let message = try service.set(name, value, componentGiven: scope.componentName != nil)
            context.masker.err("✓ " + message)
        }
    }
}

/// Where `set` gets a value: stdin, the inline `NAME=VALUE`, or a prompt with echo off.
enum SecretInput {
    static func read(useStdin: Bool, inline: String?) throws(CloakError) -> SecretValue {
        if useStdin {
            var bytes = Console.readAllStdin()
            while bytes.last == 0x0A { bytes.removeLast() }
            return .text(SecretBytes(consuming: &bytes))
        }
        if let inline {
            var bytes = Array(inline.utf8)
            return .text(SecretBytes(consuming: &bytes))
        }
        guard Console.stdinIsTerminal else {
            throw CloakError(.usage, "secret prompt failed: stdin is not a terminal (pipe the value with --stdin)")
        }
        while true {
            var bytes = try Prompt.readHidden("Enter secret value: ")
            if !bytes.isEmpty { return .text(SecretBytes(consuming: &bytes)) }
            Console.err("The value cannot be empty.")
        }
    }
}
