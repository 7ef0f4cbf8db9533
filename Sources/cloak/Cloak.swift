import ArgumentParser
import Core
import Sandbox

/// The `cloak` command line: the composition root, and the only place that prints or exits.
@main
struct Cloak: ParsableCommand {
    /// Hardens the process before anything is read: not dumpable (a same-user child cannot read cloak's memory or
    /// environ, or attach to it) and no core files. Then parses the command line as usual.
    static func main() {
        do {
            try Sandbox.hardenSelf()
        } catch {
            Console.err("warning: \(error.message) (continuing without process hardening)")
        }
        AtomicFile.onBusy { dir in
            Console.err("cloak: waiting for another writer in \(dir) (an open 'cloak sops edit' holds it until its editor exits)")
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        let fastPath = Environment.process["CLOAK_ARGV_FAST_PATH"]
        if fastPath != "0", let request = ExecFastPath.parse(arguments) {
            if fastPath == "trace" { Console.err("cloak: exec arguments read by the fast path") }
            do {
                try Exec.run(scope: request.scope, flags: request.flags, watch: request.watch, command: request.command)
            } catch {
                Self.exit(withError: error)
            }
            Self.exit()
        }
        Self.main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "cloak",
        abstract: "Inject secrets from Atmos stack configs into the tools you run.",
        subcommands: [
            Exec.self, Shell.self, Env.self, ToolRunner<TerraformTool>.self, ToolRunner<HelmfileTool>.self, ToolRunner<PackerTool>.self, ToolRunner<AnsibleTool>.self, RunTool.self, Get.self, Set.self, Delete.self, List.self, Validate.self, Import.self, Init.self, Pull.self, Push.self, Keygen.self, Describe.self, SopsCommand.self, AgeCommand.self, Eval.self, RefCommand.self,
            Version.self,
        ]
    )
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print cloak's version.")
    func run() { print("cloak \(cloakVersion)") }
}

let cloakVersion = "0.1.0-dev"
