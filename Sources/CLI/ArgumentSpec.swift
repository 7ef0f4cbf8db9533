/// One positional argument of a command.
public struct ArgumentSpec: Sendable {
    /// How many words the argument takes.
    public enum Kind: Sendable {
        /// Exactly one word.
        case required
        /// One word if there is one left.
        case optional
        /// Every remaining positional word (declared last).
        case variadic
    }

    /// What help and messages call it (`<component>`).
    public let name: String
    /// How many words it takes.
    public let kind: Kind
    /// One line for the ARGUMENTS section of help.
    public let help: String
    /// How its value completes in the shell.
    public let completion: CompletionKind

    /// Declares a positional argument.
    public init(_ name: String, _ kind: Kind = .required, help: String, completion: CompletionKind = .none) {
        self.name = name
        self.kind = kind
        self.help = help
        self.completion = completion
    }

    /// `<name>`, `[<name>]` or `[<name> ...]`, as the usage line shows it.
    var usage: String {
        switch kind {
        case .required: "<\(name)>"
        case .optional: "[<\(name)>]"
        case .variadic: "[<\(name)> ...]"
        }
    }
}
