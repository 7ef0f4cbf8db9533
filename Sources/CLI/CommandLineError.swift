/// A command line that does not fit the command's spec: unknown option, missing value or argument, a value outside
/// the allowed set. Reported as one line on stderr with exit code 64 (EX_USAGE), before the command does anything.
public struct CommandLineError: Error, Sendable {
    /// The problem, without the `error:` prefix.
    public let message: String
    /// `cloak exec`: the command whose help the message points to.
    public let commandPath: String

    /// Creates an error about the command line of `commandPath`.
    public init(_ message: String, command commandPath: String) {
        self.message = message
        self.commandPath = commandPath
    }

    /// The exit code of every command-line error (sysexits' EX_USAGE, as before).
    public static let exitCode: Int32 = 64

    /// The line printed on stderr.
    public var line: String { "error: \(message) (see '\(commandPath) --help')" }
}
