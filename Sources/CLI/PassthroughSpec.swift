/// The words after `--`, handed on to another program untouched (`cloak exec … -- CMD ARGS…`).
public struct PassthroughSpec: Sendable {
    /// What help calls the words (`<command>`).
    public let name: String
    /// One line for the ARGUMENTS section of help.
    public let help: String

    /// Declares that a command takes the words after `--` as they are.
    public init(_ name: String, help: String) {
        self.name = name
        self.help = help
    }
}
