/// A command that runs: its spec, a typed value built from the parsed command line, and what it does.
public protocol Command: SendableMetatype {
    /// What the command accepts and how help describes it.
    static var spec: CommandSpec { get }
    /// Reads the typed values out of a command line already checked against `spec`.
    init(_ arguments: ParsedArguments) throws(CommandLineError)
    /// Does the command's work; errors are reported by `Cloak.main`.
    func run() throws
}
