import CLI
import Core
import Sops

/// `cloak sops …`: in-process SOPS for power users (no `sops` binary needed).
enum SopsCommand {
    static let spec = CommandSpec(
        group: "sops",
        abstract: "Decrypt, encrypt and edit SOPS files in-process (compatible with sops 3.x).",
        subcommands: [SopsDecrypt.spec, SopsEncrypt.spec, SopsSet.spec, SopsUnset.spec, SopsEdit.spec]
    )
}

/// Options shared by the sops subcommands.
struct SopsFileOptions {
    static let file = ArgumentSpec("file", help: "The SOPS file.")
    static let inputType = OptionSpec.value("input-type", help: "yaml, json, dotenv, ini or binary (default: from the file name).")
    /// The options, for a command's spec.
    static let options = [inputType]

    let file: String
    let inputType: String?

    /// Reads the file argument and `--input-type` from a parsed command line.
    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        file = try arguments.required(Self.file)
        inputType = arguments.string(Self.inputType)
    }

    func format() throws(CloakError) -> SopsFormat {
        guard let inputType else { return SopsFormat(path: file) }
        guard let f = SopsFormat(name: inputType) else {
            throw CloakError(.usage, "--input-type \(inputType): use yaml, json, dotenv, ini or binary")
        }
        return f
    }
}

struct SopsDecrypt: Command {
    static let spec = CommandSpec(
        SopsDecrypt.self, name: "decrypt", abstract: "Print the decrypted file (the MAC is verified first).",
        options: SopsFileOptions.options + [extract, outputType], arguments: [SopsFileOptions.file])
    static let extract = OptionSpec.value("extract", help: "Print only this value, e.g. '[\"db\"][\"password\"]'.")
    static let outputType = OptionSpec.value("output-type", help: "yaml, json, dotenv, ini or binary (default: the input type).")

    let options: SopsFileOptions
    let extract: String?
    let outputType: String?

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        options = try SopsFileOptions(arguments)
        extract = arguments.string(Self.extract)
        outputType = arguments.string(Self.outputType)
    }

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

struct SopsEncrypt: Command {
    static let spec = CommandSpec(
        SopsEncrypt.self, name: "encrypt",
        abstract: "Encrypt a plaintext file for the keys given as flags, or else the nearest .sops.yaml creation rule.",
        discussion: "Key flags mirror sops: --age, --pgp, --kms (with --encryption-context and --aws-profile), "
            + "--gcp-kms, --azure-kv, --hc-vault-transit. With none of them the first matching .sops.yaml rule "
            + "decides (key_groups and shamir_threshold included).",
        options: SopsFileOptions.options + SopsKeyOptions.options + [inPlace], arguments: [SopsFileOptions.file])
    static let inPlace = OptionSpec.flag("in-place", short: "i", help: "Replace the file instead of printing.")

    let options: SopsFileOptions
    let keys: SopsKeyOptions
    let inPlace: Bool

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        options = try SopsFileOptions(arguments)
        keys = SopsKeyOptions(arguments)
        inPlace = arguments.flag(Self.inPlace)
    }

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

struct SopsSet: Command {
    static let spec = CommandSpec(
        SopsSet.self, name: "set",
        abstract: "Set one value (JSON) at a path; unchanged values keep their ciphertext.",
        discussion: "Use --value-stdin to keep the value out of argv and shell history.",
        options: SopsFileOptions.options + [valueStdin], arguments: [SopsFileOptions.file, path, value]
    )
    static let path = ArgumentSpec("path", help: "Tree path, e.g. '[\"db\"][\"password\"]'.")
    static let value = ArgumentSpec("value", .optional, help: "The value as JSON (\"text\", 42, true, {…}); omit with --value-stdin.")
    static let valueStdin = OptionSpec.flag("value-stdin", help: "Read the JSON value from stdin.")

    let options: SopsFileOptions
    let path: String
    let value: String?
    let valueFromStdin: Bool

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        options = try SopsFileOptions(arguments)
        path = try arguments.required(Self.path)
        value = arguments.argument(Self.value)
        valueFromStdin = arguments.flag(Self.valueStdin)
    }

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

struct SopsUnset: Command {
    static let spec = CommandSpec(
        SopsUnset.self, name: "unset", abstract: "Remove the value at a path.",
        options: SopsFileOptions.options, arguments: [SopsFileOptions.file, SopsSet.path])

    let options: SopsFileOptions
    let path: String

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        options = try SopsFileOptions(arguments)
        path = try arguments.required(SopsSet.path)
    }

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
