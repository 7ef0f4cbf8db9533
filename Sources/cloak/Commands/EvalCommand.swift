import CLI
import Core
import Resolve
import YAML

/// `cloak eval FILE|-`: a YAML/JSON document with every `ref+…` reference resolved (as `vals eval`).
struct Eval: Command {
    static let spec = CommandSpec(
        Eval.self, name: "eval",
        abstract: "Print a YAML or JSON document with every ref+ reference resolved.",
        discussion: """
            A string that is exactly one reference becomes the value with its type; references inside longer text \
            are interpolated (Go %v: null prints as <nil>). Backends: echo, file, envsubst, sops. Resolved values \
            print as <MASKED> unless --mask=false (env ATMOS_MASK).
            """,
        options: [format, mask, failOnMissingKey, excludeSecret], arguments: [file]
    )
    static let file = ArgumentSpec("file", help: "The document to evaluate, or - for stdin.")
    static let format = OptionSpec.value(
        "format", short: "f", help: "Output format: yaml or json.", choices: OutputFormat.choices, default: "yaml")
    static let mask = OptionSpec.bool("mask", help: "Mask resolved values (default true; env ATMOS_MASK).")
    static let failOnMissingKey = OptionSpec.bool(
        "fail-on-missing-key", help: "A fragment naming a missing key is an error (default true); false gives null.")
    static let excludeSecret = OptionSpec.flag(
        "exclude-secret", help: "Leave secretref+ references (and the rest of their string) unresolved.")

    let file: String
    let format: OutputFormat
    let mask: Bool?
    let failOnMissingKey: Bool
    let excludeSecret: Bool

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        file = try arguments.required(Self.file)
        format = arguments.choice(Self.format, as: OutputFormat.self) ?? .yaml
        mask = arguments.bool(Self.mask)
        failOnMissingKey = arguments.bool(Self.failOnMissingKey) ?? true
        excludeSecret = arguments.flag(Self.excludeSecret)
    }

    func run() throws {
        try Reporting.run {
            let name = file == "-" ? "<stdin>" : file
            let bytes = file == "-" ? Console.readAllStdin() : try FileSystem.readBytes(file)
            let documents = try YAMLLoader.load(bytes: bytes, file: name)
            let masker = RefOutput.masker(flag: mask)
            let resolver = RefResolver(registry: BackendFactory.references(environment: .process), failOnMissingKey: failOnMissingKey)
            resolver.onValue = { masker.register(.text($0)) }
            resolver.excludeSecret = excludeSecret
            var out: [Node] = []
            for document in documents {
                guard document.isMapping || document.isSequence || document.isNull else {
                    throw CloakError(.config, "each document must be a map or a list", at: document.location)
                }
                out.append(try resolver.resolve(document))
            }
            switch format {
            case .yaml: masker.out(YAMLEmitter.emit(out, options: EmitOptions(indent: 2)))
            case .json: masker.out(out.map { JSON.serialize($0, options: JSONOptions(indent: "  ")) }.joined())
            }
        }
    }
}

/// Masking for the reference commands, which need no atmos.yaml: `--mask`, else `ATMOS_MASK`, else on.
enum RefOutput {
    static func masker(flag: Bool?) -> OutputMasker {
        var enabled = true
        if let env = Environment.process.nonEmpty("ATMOS_MASK") { enabled = env != "false" && env != "0" }
        if let flag { enabled = flag }
        return OutputMasker(enabled: enabled, replacement: Redaction.mask, literals: [])
    }
}
