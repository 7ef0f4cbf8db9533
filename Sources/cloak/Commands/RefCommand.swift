import ArgumentParser
import Core
import Resolve
import YAML

/// `cloak ref get REF`: one reference's value.
struct RefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ref",
        abstract: "Resolve vals-style ref+ references.",
        subcommands: [RefGet.self]
    )
}

struct RefGet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the value of one reference (masked unless --mask=false).",
        discussion: "Strings print as they are; maps, lists, numbers and booleans as JSON. Text around references is interpolated."
    )

    @Argument(help: "The reference, e.g. ref+sops://secrets.enc.yaml#/db/password.") var reference: String
    @Option(help: "Mask the value (default true; env ATMOS_MASK).") var mask: Bool?

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
