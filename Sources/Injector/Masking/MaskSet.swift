import CCloakLinux
public import Core

/// The values to hide in a child's output and what to show instead. Built once; hand `makeMasker()` to each
/// output stream.
public final class MaskSet: @unchecked Sendable {
    /// The replacement used when none is configured (as Atmos does).
    public static let defaultReplacement = "<MASKED>"

    /// What each masked run becomes.
    public let replacement: [UInt8]
    /// Number of distinct byte patterns (values plus derived forms plus literals).
    public let patternCount: Int
    let automaton: MaskAutomaton?

    /// Registers every secret whose length is at least `minimumLength` (default 1: every non-empty value; raise
    /// it to avoid masking every `123` when a value is that short), plus, with `derivedForms`, its base64
    /// (standard/URL, padded/unpadded), URL query-escaped and JSON-escaped forms, plus `literals` as they are.
    public init(
        secrets: [SecretBytes],
        literals: [String] = [],
        derivedForms: Bool = true,
        minimumLength: Int = 1,
        replacement: String = MaskSet.defaultReplacement
    ) {
        var patterns: [[UInt8]] = []
        func add(_ pattern: [UInt8]) {
            if !pattern.isEmpty && !patterns.contains(pattern) { patterns.append(pattern) }
        }
        let minimum = max(1, minimumLength)
        for secret in secrets where secret.count >= minimum {
            secret.withUnsafeBytes { value in
                add(Array(value))
                if derivedForms { for form in DerivedForms.forms(of: value) { add(form) } }
            }
        }
        for literal in literals where literal.utf8.count >= minimum { add(Array(literal.utf8)) }
        self.replacement = Array(replacement.utf8)
        patternCount = patterns.count
        automaton = patterns.isEmpty ? nil : MaskAutomaton(patterns: patterns)
        for i in patterns.indices { patterns[i].withUnsafeMutableBytes { ccloak_wipe($0.baseAddress, $0.count) } }
    }

    /// True when nothing would be masked.
    public var isEmpty: Bool { automaton == nil }

    /// Length of the longest pattern (the carry never exceeds this minus one).
    public var longestPattern: Int { automaton?.longestPattern ?? 0 }

    /// A fresh streaming masker.
    public func makeMasker() -> Masker { Masker(self) }

    /// Masks a complete buffer (error text, captured output).
    public func mask(_ bytes: [UInt8]) -> [UInt8] {
        let masker = makeMasker()
        var out: [UInt8] = []
        masker.process(bytes, into: &out)
        masker.flush(into: &out)
        return out
    }
}
