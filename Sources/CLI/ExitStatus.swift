/// Ends the command with `code` after the error has already been reported; thrown so that cleanup (`defer`) runs.
public struct ExitStatus: Error, Sendable {
    /// The process exit status.
    public let code: Int32

    /// Ends the command with `code`.
    public init(_ code: Int32) { self.code = code }
}
