import CLI
import Core
import Resolve
import Sops
import YAML

struct Keygen: Command {
    static let spec = CommandSpec(
        Keygen.self, name: "keygen",
        abstract: "Generate an age key pair for a SOPS provider declared in atmos.yaml.",
        discussion: """
            The private key is appended to the provider's age_key_file (or SOPS_AGE_KEY_FILE, or the sops default \
            ~/.config/sops/age/keys.txt), mode 0600; the public recipient goes into a .sops.yaml creation rule \
            (recipients_file, else <base_path>/.sops.yaml). Idempotent: a provider that already has a key is left \
            alone unless --force.
            """,
        options: [force] + GlobalOptions.options, arguments: [vault]
    )
    static let vault = ArgumentSpec("vault", .optional, help: "The provider (vault) name; optional when atmos.yaml declares exactly one.")
    static let force = OptionSpec.flag("force", short: "f", help: "Generate another key even if the provider already has one.")

    let vault: String?
    let force: Bool
    let global: GlobalOptions

    init(_ arguments: ParsedArguments) {
        vault = arguments.argument(Self.vault)
        force = arguments.flag(Self.force)
        global = GlobalOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let config = try ConfigLoader.load(ConfigOptions(configPaths: global.configPaths, basePath: global.basePath))
            let providers = try SopsProviderConfig.parseAll(config.document["secrets"]?["providers"])
            let provider = try select(providers)
            guard provider.isAge else {
                Console.err("⚠ Key generation is not implemented for vault `\(provider.name)` (kind \"\(provider.kind)\"). No changes made.")
                return
            }
            if provider.ageKey != nil {
                throw CloakError(.config, "failed to parse SOPS age key (spec.age_key): vault `\(provider.name)` has an inline key; keygen cannot add to it")
            }
            if !provider.ageRecipients.isEmpty {
                throw CloakError(
                    .config, "failed to resolve SOPS recipients: vault `\(provider.name)` pins spec.age_recipients; add the new recipient there yourself")
            }
            let env = Environment.process
            let identity = AgeIdentity.generate()
            var privateLocation: String
            if let (backend, coordinate) = try BackendFactory.ageKeyLocation(provider, stores: config.document["stores"], environment: env) {
                if !force, try backend.exists(coordinate) {
                    Console.err("Vault `\(provider.name)` already has key material. Use --force to generate more.")
                    return
                }
                try backend.set(coordinate, .text(identity.encoded()))
                privateLocation = "\(backend.label) (\(coordinate))"
            } else {
                let keyFile = env.expandPath(
                    provider.ageKeyStore == "file" ? (provider.ageKeyPath ?? defaultKeyFile(env)) : (provider.ageKeyFile ?? defaultKeyFile(env)))
                if !force && FileSystem.isFile(keyFile) {
                    Console.err("Vault `\(provider.name)` already has key material. Use --force to generate more.")
                    return
                }
                try AgeKeyFileWriter.append(identity, to: keyFile)
                privateLocation = config.display(keyFile)
            }
            let recipientsFile = provider.recipientsFile.map { Path.absolute($0, relativeTo: config.workingDirectory) }
                ?? Path.join(config.basePath, ".sops.yaml")
            let regex = SopsRuleRegex.derive(from: provider)
            try SopsRulesFile.upsert(path: recipientsFile, pathRegex: regex, recipient: identity.recipient.string)
            Console.err("✓ Vault `\(provider.name)` (\(provider.kind)): Generated an age key pair.")
            Console.err("  private key → \(privateLocation)  (keep out of version control)")
            Console.err("  recipient → \(config.display(recipientsFile)) (path_regex \(regex))  (safe to commit)")
            Console.out(identity.recipient.string + "\n")
        }
    }

    private func select(_ providers: [String: SopsProviderConfig]) throws(CloakError) -> SopsProviderConfig {
        if let vault {
            guard let p = providers[vault] else {
                let names = providers.keys.sorted().joined(separator: ", ")
                throw CloakError(
                    .config, "no secrets vault is configured: vault `\(vault)` is not configured under secrets.providers in atmos.yaml" + (names.isEmpty ? "" : " (configured vaults: \(names))"))
            }
            return p
        }
        if providers.isEmpty {
            throw CloakError(
                .config,
                "no secrets vault is configured: declare one under secrets.providers in atmos.yaml (kind: sops/age plus spec.file); keygen does not read providers declared in stack manifests")
        }
        guard providers.count == 1, let only = providers.values.first else {
            throw CloakError(.usage, "multiple vaults configured; name one: \(providers.keys.sorted().joined(separator: ", "))")
        }
        return only
    }

    private func defaultKeyFile(_ env: Environment) -> String {
        env.nonEmpty("SOPS_AGE_KEY_FILE") ?? Path.join(env.configHome, "sops/age/keys.txt")
    }
}
