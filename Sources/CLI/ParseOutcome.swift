/// What a command line asks for.
public enum ParseOutcome: Sendable {
    /// Run the last command of the path with these arguments.
    case run(ParsedArguments)
    /// Print the help of the last command of the path (`-h`, `--help`, `cloak help …`, or a bare group).
    case help([CommandSpec])
}
