import ArgumentParser

/// The `cloak` command line: the composition root, and the only place that prints or exits.
@main
struct Cloak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloak",
        abstract: "Inject secrets from Atmos stack configs into the tools you run.",
        subcommands: [
            Exec.self, Shell.self, Env.self, Terraform.self, Helmfile.self, Packer.self, Ansible.self, RunTool.self, Get.self, Set.self, Delete.self, List.self, Validate.self, Import.self, Init.self, Pull.self, Push.self, Keygen.self, Describe.self, SopsCommand.self, AgeCommand.self,
            Version.self,
        ]
    )
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print cloak's version.")
    func run() { print("cloak \(cloakVersion)") }
}

let cloakVersion = "0.1.0-dev"
