import Core

/// Masks resolved secret values (and configured literals) in everything cloak itself prints. Values are registered
/// as they are resolved; turning masking off only changes what is displayed.
final class OutputMasker {
    let enabled: Bool
    let replacement: String
    private let literals: [String]
    private var secrets: [SecretBytes] = []

    init(enabled: Bool, replacement: String, literals: [String]) {
        self.enabled = enabled
        self.replacement = replacement
        self.literals = literals
    }

    /// Registers a resolved value.
    func register(_ value: SecretValue) {
        secrets.append(value.bytes)
    }

    /// `text` with every registered value replaced (when masking is on).
    func apply(_ text: String) -> String {
        guard enabled, !secrets.isEmpty || !literals.isEmpty else { return text }
        var patterns: [[UInt8]] = secrets.map { s in s.withUnsafeBytes { Array($0) } } + literals.map { Array($0.utf8) }
        patterns = patterns.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        var bytes = Array(text.utf8)
        let replacementBytes = Array(replacement.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        scan: while i < bytes.count {
            for p in patterns where i + p.count <= bytes.count && bytes[i] == p[0] {
                if bytes[i..<(i + p.count)].elementsEqual(p) {
                    out += replacementBytes
                    i += p.count
                    continue scan
                }
            }
            out.append(bytes[i])
            i += 1
        }
        for k in bytes.indices { bytes[k] = 0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// Prints to stdout through the mask.
    func out(_ text: String) { Console.out(apply(text)) }

    /// Prints one line to stderr through the mask.
    func err(_ line: String) { Console.err(apply(line)) }
}
