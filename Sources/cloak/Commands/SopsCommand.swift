import ArgumentParser
import Core
import Sops

/// `cloak sops …`: in-process SOPS for power users (no `sops` binary needed).
struct SopsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sops",
        abstract: "Decrypt, encrypt and edit SOPS files in-process (compatible with sops 3.x).",
        subcommands: [SopsDecrypt.self, SopsEncrypt.self, SopsSet.self, SopsUnset.self, SopsEdit.self]
    )
}

/// Options shared by the sops subcommands.
struct SopsFileOptions: ParsableArguments {
    @Argument(help: "The SOPS file.") var file: String
    @Option(name: .customLong("input-type"), help: "yaml, json, dotenv, ini or binary (default: from the file name).")
    var inputType: String?

    func format() throws(CloakError) -> SopsFormat {
        guard let inputType else { return SopsFormat(path: file) }
        guard let f = SopsFormat(name: inputType) else {
            throw CloakError(.usage, "--input-type \(inputType): use yaml, json, dotenv, ini or binary")
        }
        return f
    }
}

struct SopsDecrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt", abstract: "Print the decrypted file (the MAC is verified first).")
    @OptionGroup var options: SopsFileOptions
    @Option(help: "Print only this value, e.g. '[\"db\"][\"password\"]'.") var extract: String?
    @Option(name: .customLong("output-type"), help: "yaml, json, dotenv, ini or binary (default: the input type).")
    var outputType: String?

    func run() throws {
        try Reporting.run {
            let file = try SopsFile.decrypt(path: options.file, format: try options.format(), services: try SopsKeys.services())
            let output = try outputType.map { (name) throws(CloakError) -> SopsFormat in
                guard let f = SopsFormat(name: name) else { throw CloakError(.usage, "--output-type \(name): unknown format") }
                return f
            }
            if let extract {
                let path = try SopsPath.parse(extract)
                guard let value = file.value(at: path) else {
                    throw CloakError(.notFound, "\(options.file): no value at \(extract)")
                }
                var bytes = try value.rendered(as: output ?? .yaml)
                Console.writeSecret(&bytes)
                return
            }
            var bytes = try file.plaintext(as: output)
            Console.writeSecret(&bytes)
        }
    }
}

struct SopsEncrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a plaintext file for the keys given as flags, or else the nearest .sops.yaml creation rule.",
        discussion: "Key flags mirror sops: --age, --pgp, --kms (with --encryption-context and --aws-profile), "
            + "--gcp-kms, --azure-kv, --hc-vault-transit. With none of them the first matching .sops.yaml rule "
            + "decides (key_groups and shamir_threshold included).")
    @OptionGroup var options: SopsFileOptions
    @OptionGroup var keys: SopsKeyOptions
    @Flag(name: [.short, .customLong("in-place")], help: "Replace the file instead of printing.") var inPlace = false

    func run() throws {
        try Reporting.run {
            let rule = try SopsConfig.creationRule(
                for: options.file, explicitKeys: try keys.entries(), kmsContext: try keys.kmsContext())
            let plaintext = try FileSystem.readBytes(options.file)
            let encrypted = try SopsFile.encrypt(
                plaintext: plaintext, file: options.file, format: try options.format(), rule: rule,
                services: try SopsKeys.services(needIdentities: false))
            if inPlace {
                try AtomicFile.write(path: options.file, bytes: encrypted, mode: 0o600)
            } else {
                Console.out(String(decoding: encrypted, as: UTF8.self))
            }
        }
    }
}

struct SopsSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set one value (JSON) at a path; unchanged values keep their ciphertext.",
        discussion: "Use --value-stdin to keep the value out of argv and shell history."
    )
    @OptionGroup var options: SopsFileOptions
    @Argument(help: "Tree path, e.g. '[\"db\"][\"password\"]'.") var path: String
    @Argument(help: "The value as JSON (\"text\", 42, true, {…}); omit with --value-stdin.") var value: String?
    @Flag(name: .customLong("value-stdin"), help: "Read the JSON value from stdin.") var valueFromStdin = false

    func run() throws {
        try Reporting.run {
            let components = try SopsPath.parse(path)
            var newValue: SopsValue
            if valueFromStdin {
                var bytes = Console.readAllStdin()
                while bytes.last == 0x0A { bytes.removeLast() }
                newValue = try SopsValue.json(String(decoding: bytes, as: UTF8.self))
            } else if let value {
                newValue = try SopsValue.json(value)
            } else {
                throw CloakError(.usage, "give the value as an argument or use --value-stdin")
            }
            let file = options.file
            try SopsFile.update(
                path: file, format: try options.format(), services: try SopsKeys.services(),
                newFileRule: { () throws(CloakError) -> SopsCreationRule in try SopsConfig.creationRule(for: file) },
                edit: { (f: inout SopsFile) throws(CloakError) in try f.set(newValue, at: components) })
            newValue = .null
        }
    }
}

struct SopsUnset: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove the value at a path.")
    @OptionGroup var options: SopsFileOptions
    @Argument(help: "Tree path, e.g. '[\"db\"][\"password\"]'.") var path: String

    func run() throws {
        try Reporting.run {
            let components = try SopsPath.parse(path)
            let file = options.file
            guard FileSystem.exists(file) else { throw CloakError(.notFound, "\(file): file not found") }
            var removed = false
            try SopsFile.update(
                path: file, format: try options.format(), services: try SopsKeys.services(),
                newFileRule: { () throws(CloakError) -> SopsCreationRule in try SopsConfig.creationRule(for: file) },
                edit: { (f: inout SopsFile) throws(CloakError) in removed = f.unset(at: components) })
            if !removed { throw CloakError(.notFound, "\(file): no value at \(path) (file left unchanged)") }
        }
    }
}
