import CLI
import Core
import Resolve
import YAML

/// `cloak ref get REF`: one reference's value.
enum RefCommand {
    static let spec = CommandSpec(group: "ref", abstract: "Resolve vals-style ref+ references.", subcommands: [RefGet.spec])
}

struct RefGet: Command {
    static let spec = CommandSpec(
        RefGet.self, name: "get",
        abstract: "Print the value of one reference (masked unless --mask=false).",
        discussion: "Strings print as they are; maps, lists, numbers and booleans as JSON. Text around references is interpolated.",
        options: [mask], arguments: [reference]
    )
    static let reference = ArgumentSpec("reference", help: "The reference, e.g. ref+sops://secrets.enc.yaml#/db/password.")
    static let mask = OptionSpec.bool("mask", help: "Mask the value (default true; env ATMOS_MASK).")

    let reference: String
    let mask: Bool?

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        reference = try arguments.required(Self.reference)
        mask = arguments.bool(Self.mask)
    }

    func run() throws {
        try Reporting.run {
            guard RefMatcher.containsReference(reference) else {
                throw CloakError(.usage, "not a reference: expected ref+BACKEND://PATH[?QUERY][#/FRAGMENT]")
            }
            let masker = RefOutput.masker(flag: mask)
            let resolver = RefResolver(registry: BackendFactory.references(environment: .process))
            resolver.onValue = { masker.register(.text($0)) }
            let value = try resolver.resolve(text: reference)
            let text: String
            if value.isScalar && value.isStringScalar {
                text = value.scalarText ?? ""
            } else {
                text = JSON.serialize(value, options: JSONOptions(indent: nil, escapeHTML: false, trailingNewline: false))
            }
            masker.out(text.hasSuffix("\n") ? text : text + "\n")
        }
    }
}
