import Core
import Injector

/// Masks resolved secret values — and their base64, URL- and JSON-escaped forms — plus configured literals in
/// everything cloak itself prints. Values are registered as they are resolved; turning masking off changes only
/// what is displayed.
final class OutputMasker {
    let enabled: Bool
    let replacement: String
    private let literals: [String]
    private var secrets: [SecretBytes] = []
    private var built: MaskSet?

    init(enabled: Bool, replacement: String, literals: [String]) {
        self.enabled = enabled
        self.replacement = replacement
        self.literals = literals
    }

    /// Registers a resolved value.
    func register(_ value: SecretValue) {
        secrets.append(value.bytes)
        built = nil
    }

    /// Every registered value (for the child's masking and GitHub Actions mask commands).
    var values: [SecretBytes] { secrets }

    /// `text` with every registered value replaced (when masking is on).
    func apply(_ text: String) -> String {
        guard enabled, !secrets.isEmpty || !literals.isEmpty else { return text }
        let set = built ?? MaskSet(secrets: secrets, literals: literals, replacement: replacement)
        built = set
        return String(decoding: set.mask(Array(text.utf8)), as: UTF8.self)
    }

    /// Prints to stdout through the mask.
    func out(_ text: String) { Console.out(apply(text)) }

    /// Prints one line to stderr through the mask.
    func err(_ line: String) { Console.err(apply(line)) }
}
