
#if canImport(Glibc)
import CLI
import Core
import Glibc
import Sops
#endif

/// `cloak age …`: age key management.
enum AgeCommand {
    static let spec = CommandSpec(group: "age", abstract: "age key management.", subcommands: [AgeKeygen.spec])
}

struct AgeKeygen: Command {
    static let spec = CommandSpec(
        AgeKeygen.self, name: "keygen",
        abstract: "Generate an age identity (age-keygen format); prints the public key on stderr.",
        options: [output])
    static let output = OptionSpec.value("output", short: "o", help: "Write the identity to this file (mode 0600; refuses to overwrite).")

    let output: String?

    init(_ arguments: ParsedArguments) {
        output = arguments.string(Self.output)
    }

    func run() throws {
        try Reporting.run {
            let identity = AgeIdentity.generate()
            let text = AgeIdentityFile.render(identity, created: Timestamp.nowRFC3339())
            if let output {
                if FileSystem.exists(output) {
                    throw CloakError(.io, "\(output) already exists; refusing to overwrite a key file")
                }
                try text.withUnsafeBytes { (buf) throws(CloakError) in
                    try AtomicFile.write(path: output, bytes: Array(buf), mode: 0o600)
                }
            } else {
                var bytes = text.withUnsafeBytes { Array($0) }
                Console.writeSecret(&bytes)
            }
            Console.err("Public key: \(identity.recipient.string)")
        }
    }
}

/// Local-time RFC 3339 timestamps, as age-keygen writes them.
enum Timestamp {
    static func nowRFC3339() -> String {
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        var buffer = [CChar](repeating: 0, count: 64)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &tm)
        var s = String(cString: buffer)
        // strftime gives +0100; RFC 3339 wants +01:00 (and Z for UTC).
        if s.hasSuffix("+0000") { return String(s.dropLast(5)) + "Z" }
        s.insert(":", at: s.index(s.endIndex, offsetBy: -2))
        return s
    }
}
