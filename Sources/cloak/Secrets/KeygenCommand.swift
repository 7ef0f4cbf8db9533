import ArgumentParser
import Core
import Resolve
import Sops
import YAML

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate an age key pair for a SOPS provider declared in atmos.yaml.",
        discussion: """
            The private key is appended to the provider's age_key_file (or SOPS_AGE_KEY_FILE, or the sops default \
            ~/.config/sops/age/keys.txt), mode 0600; the public recipient goes into a .sops.yaml creation rule \
            (recipients_file, else <base_path>/.sops.yaml). Idempotent: a provider that already has a key is left \
            alone unless --force.
            """
    )
    @Argument(help: "The provider (vault) name; optional when atmos.yaml declares exactly one.") var vault: String?
    @Flag(name: .shortAndLong, help: "Generate another key even if the provider already has one.") var force = false
    @OptionGroup var global: GlobalOptions

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
            let keyFile = env.expandPath(
                provider.ageKeyStore == "file" ? (provider.ageKeyPath ?? defaultKeyFile(env)) : (provider.ageKeyFile ?? defaultKeyFile(env)))
            if provider.ageKeyStore != nil && provider.ageKeyStore != "file" {
                throw CloakError(.config, "vault `\(provider.name)`: age_key.store \"\(provider.ageKeyStore ?? "")\" is not supported by this build yet")
            }
            if !force && FileSystem.isFile(keyFile) {
                Console.err("Vault `\(provider.name)` already has key material. Use --force to generate more.")
                return
            }
            let identity = AgeIdentity.generate()
            try KeyFileWriter.append(identity, to: keyFile)
            let recipientsFile = provider.recipientsFile.map { Path.absolute($0, relativeTo: config.workingDirectory) }
                ?? Path.join(config.basePath, ".sops.yaml")
            let regex = SopsRuleRegex.derive(from: provider)
            try SopsRulesFile.upsert(path: recipientsFile, pathRegex: regex, recipient: identity.recipient.string)
            Console.err("✓ Vault `\(provider.name)` (\(provider.kind)): Generated an age key pair.")
            Console.err("  private key → \(config.display(keyFile))  (keep out of version control)")
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

/// Appends an identity as one bare line to an age key file (0700 directory, 0600 file), never twice.
enum KeyFileWriter {
    static func append(_ identity: AgeIdentity, to path: String) throws(CloakError) {
        try FileSystem.createDirectories(Path.dirname(path), mode: 0o700)
        let line = identity.encoded()
        try AtomicFile.update(path: path, mode: 0o600) { (existing) throws(CloakError) -> [UInt8] in
            var bytes = existing ?? []
            let lineBytes = line.withUnsafeBytes { Array($0) }
            if containsLine(bytes, lineBytes) { return bytes }
            if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
            bytes += lineBytes
            bytes.append(0x0A)
            return bytes
        }
    }

    private static func containsLine(_ haystack: [UInt8], _ line: [UInt8]) -> Bool {
        haystack.split(separator: 0x0A).contains { $0.elementsEqual(line) }
    }
}

/// The creation-rule regex for a provider's files: literal text escaped, each `{{…}}` → `.*`, anchored with `$`.
enum SopsRuleRegex {
    static func derive(from provider: SopsProviderConfig) -> String {
        // Without spec.file the files are <path>/<stack>[.<component>].enc.yaml (Atmos wrote `$`, matching every file).
        let template = provider.fileTemplate ?? Path.join(provider.path, "{{ .atmos_stack }}.enc.yaml")
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            out += escape(rest[..<open.lowerBound])
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            out += ".*"
            rest = rest[close.upperBound...]
        }
        return out + escape(rest) + "$"
    }

    private static func escape(_ text: Substring) -> String {
        var out = ""
        for c in text {
            if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

/// Adds a recipient to the `.sops.yaml` creation rule with a given `path_regex` (creating the rule or file).
enum SopsRulesFile {
    static func upsert(path: String, pathRegex: String, recipient: String) throws(CloakError) {
        try AtomicFile.update(path: path, mode: 0o644) { (existing) throws(CloakError) -> [UInt8] in
            var root: Node = .mapping([])
            if let existing, !existing.isEmpty {
                root = try YAMLLoader.loadSingle(String(decoding: existing, as: UTF8.self), file: path, options: LoadOptions(comments: true))
                if root.isNull { root = .mapping([]) }
                guard root.isMapping else { throw CloakError(.config, "\(path): expected a mapping with creation_rules") }
            }
            var rules = root["creation_rules"]?.items ?? []
            if let i = rules.firstIndex(where: { $0["path_regex"]?.scalarText == pathRegex }) {
                var rule = rules[i]
                let current = (rule["age"]?.scalarText ?? "").split(separator: ",").map { String($0).trimmingWhitespaceAndNewlines() }
                    .filter { !$0.isEmpty }
                if current.contains(recipient) { return existing ?? [] }
                rule["age"] = .string((current + [recipient]).joined(separator: ","))
                rules[i] = rule
            } else {
                rules.append(.mapping(["path_regex": .string(pathRegex), "age": .string(recipient)]))
            }
            root["creation_rules"] = .sequence(rules)
            return Array(YAMLEmitter.emit([root], options: EmitOptions(indent: 4)).utf8)
        }
    }
}
