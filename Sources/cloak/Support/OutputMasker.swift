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

    private let patternTexts: [String]
    // Compiled when cloak first prints something: most runs (`exec`) print nothing, and compiling the built-in
    // shapes cost ~0.5 ms of every start.
    private lazy var patterns: [Regex<AnyRegexOutput>] = {
        var compiled: [Regex<AnyRegexOutput>] = []
        for text in patternTexts {
            do { compiled.append(try Regex(text)) } catch { Console.err("warning: settings.terminal.mask.patterns: invalid regular expression \"\(text)\" skipped") }
        }
        return compiled
    }()

    /// `patterns` are `settings.terminal.mask.patterns` plus the built-in token shapes; an invalid one is reported
    /// once (when the first output is masked) and skipped.
    init(enabled: Bool, replacement: String, literals: [String], patterns: [String] = []) {
        self.enabled = enabled
        self.replacement = replacement
        self.literals = literals
        self.patternTexts = OutputMasker.builtInPatterns + patterns
    }

    /// Token shapes masked even when cloak never resolved them (as Atmos registers at start-up).
    static let builtInPatterns = [
        #"ghp_[A-Za-z0-9]{36}"#, #"gho_[A-Za-z0-9]{36}"#, #"github_pat_[A-Za-z0-9_]{22,}"#, #"glpat-[A-Za-z0-9_\-]{20}"#,
        #"sk-[A-Za-z0-9]{48}"#, #"Bearer [A-Za-z0-9\-._~+/]+=*"#, #"AKIA[0-9A-Z]{16}"#,
    ]

    /// Registers a resolved value.
    func register(_ value: SecretValue) {
        secrets.append(value.bytes)
        built = nil
    }

    /// Every registered value (for the child's masking and GitHub Actions mask commands).
    var values: [SecretBytes] { secrets }

    /// `text` with every registered value replaced (when masking is on).
    func apply(_ text: String) -> String {
        guard enabled else { return text }
        var out = text
        if !secrets.isEmpty || !literals.isEmpty {
            let set = built ?? MaskSet(secrets: secrets, literals: literals, replacement: replacement)
            built = set
            out = String(decoding: set.mask(Array(out.utf8)), as: UTF8.self)
        }
        // Patterns apply after literals, as in Atmos.
        for pattern in patterns where out.contains(pattern) {
            out = out.replacing(pattern, with: replacement)
        }
        return out
    }

    /// Prints to stdout through the mask.
    func out(_ text: String) { Console.out(apply(text)) }

    /// Prints one line to stderr through the mask.
    func err(_ line: String) { Console.err(apply(line)) }
}
