
#if canImport(Glibc)
import CLI
import Core
import Glibc
import Sandbox
#endif

/// The `cloak` command line: the composition root, and the only place that prints or exits.
@main
struct Cloak: Command {
    static let spec = CommandSpec(
        Cloak.self, name: "cloak",
        abstract: "Inject secrets from Atmos stack configs into the tools you run.",
        options: [generateCompletionScript],
        // Deferred: only the selected command's spec is built (help and completion build the ones they list).
        subcommands: [
            .init(deferred: "exec") { Exec.spec }, .init(deferred: "shell") { Shell.spec }, .init(deferred: "env") { Env.spec },
            .init(deferred: "terraform") { ToolRunner.spec(.terraform) }, .init(deferred: "helmfile") { ToolRunner.spec(.helmfile) },
            .init(deferred: "packer") { ToolRunner.spec(.packer) }, .init(deferred: "ansible") { ToolRunner.spec(.ansible) },
            .init(deferred: "run") { RunTool.spec }, .init(deferred: "get") { Get.spec },
            .init(deferred: "set", aliases: ["add"]) { Set.spec }, .init(deferred: "delete", aliases: ["rm", "unset"]) { Delete.spec },
            .init(deferred: "list") { List.spec }, .init(deferred: "validate") { Validate.spec },
            .init(deferred: "import") { Import.spec }, .init(deferred: "init") { Init.spec }, .init(deferred: "pull") { Pull.spec },
            .init(deferred: "push") { Push.spec }, .init(deferred: "keygen") { Keygen.spec },
            .init(deferred: "describe") { Describe.spec }, .init(deferred: "sops") { SopsCommand.spec },
            .init(deferred: "age") { AgeCommand.spec }, .init(deferred: "eval") { Eval.spec },
            .init(deferred: "ref") { RefCommand.spec }, .init(deferred: "version") { Version.spec },
            .init(deferred: "__complete", hidden: true) { Complete.spec },
        ]
    )
    static let generateCompletionScript = OptionSpec.value(
        "generate-completion-script", valueName: "shell", help: "Print the completion script for bash, zsh or fish.",
        choices: CompletionScript.Shell.choices)

    let completionShell: CompletionScript.Shell?

    init(_ arguments: ParsedArguments) {
        completionShell = arguments.choice(Self.generateCompletionScript, as: CompletionScript.Shell.self)
    }

    /// Bare `cloak` prints help; `--generate-completion-script SHELL` the script.
    func run() {
        if let completionShell {
            Console.out(CompletionScript.render(completionShell, program: Self.spec.name))
        } else {
            Console.out(HelpFormatter.render([Self.spec]))
        }
    }

    /// Hardens the process before anything is read: not dumpable (a same-user child cannot read cloak's memory or
    /// environ, or attach to it) and no core files. Then parses the command line and runs the command.
    static func main() {
        do {
            try Sandbox.hardenSelf()
        } catch {
            Console.err("warning: \(error.message) (continuing without process hardening)")
        }
        AtomicFile.onBusy { dir in
            Console.err("cloak: waiting for another writer in \(dir) (an open 'cloak sops edit' holds it until its editor exits)")
        }
        exit(run(Array(CommandLine.arguments.dropFirst())))
    }

    /// Parses `words` and runs what they ask for; returns the exit status. Every error ends up here as one line.
    static func run(_ words: [String]) -> Int32 {
        do {
            switch try CommandLineParser.parse(words, root: spec) {
            case .help(let path):
                Console.out(HelpFormatter.render(path))
            case .run(let arguments):
                try arguments.command.run?(arguments)
            }
            return 0
        } catch let error as CommandLineError {
            Console.err(error.line)
            return CommandLineError.exitCode
        } catch let status as ExitStatus {
            return status.code
        } catch let error as CloakError {
            Console.err(error.description)
            return error.exitCode
        } catch {
            Console.err("error: \(error)")
            return 1
        }
    }
}

struct Version: Command {
    static let spec = CommandSpec(Version.self, name: "version", abstract: "Print cloak's version.")

    init(_ arguments: ParsedArguments) {}

    func run() { Console.out("cloak \(cloakVersion)\n") }
}

/// `cloak __complete INDEX -- WORDS…`: the callback of the completion scripts (hidden from help).
struct Complete: Command {
    static let spec = CommandSpec(
        Complete.self, name: "__complete", abstract: "Print completion candidates for a command line.",
        arguments: [index], passthrough: PassthroughSpec("words", help: "The words of the line, without the program name."),
        hidden: true)
    static let index = ArgumentSpec("index", help: "Which word the cursor is in (0 is the word after the program name).")

    let index: Int
    let words: [String]

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        let text = try arguments.required(Self.index)
        guard let index = Int(text) else { throw CommandLineError("invalid index '\(text)'", command: arguments.commandPath) }
        self.index = index
        words = arguments.passthrough
    }

    func run() {
        let candidates = Completer.candidates(words, current: index, root: Cloak.spec)
        Console.out(candidates.map { $0 + "\n" }.joined())
    }
}

let cloakVersion = "0.1.0-dev"
