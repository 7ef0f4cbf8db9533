/// The one error type that crosses module boundaries. Its `description` is the user message, so it is built only
/// from names, paths, coordinates and locations — never from a secret value or a backend response body.
public struct CloakError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; decides the exit code.
    public enum Code: String, Sendable {
        /// Bad flags or arguments.
        case usage
        /// Invalid configuration or manifest (YAML, imports, templates, declarations).
        case config
        /// A stack, component, secret or file does not exist.
        case notFound
        /// A secret exists in configuration but has no value in its backend.
        case notInitialized
        /// A backend could not be reached or refused the request.
        case backend
        /// Decryption or integrity verification failed.
        case decrypt
        /// Reading or writing a local file failed.
        case io
        /// The child process could not be started.
        case spawn
        /// Validation found problems (already reported line by line).
        case validation
        /// A bug in cloak.
        case `internal`
    }

    /// The failure kind.
    public var code: Code
    /// One-line message: names, paths and locations only.
    public var message: String
    /// Where in the user's input the problem is, when known.
    public var location: SourceLocation?

    /// Creates an error.
    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }

    /// Process exit code for this error (documented in docs/USAGE.md): 1, as the Atmos secret commands use for
    /// every error, so existing CI scripts keep working. (A command line the parser rejects exits 64.)
    public var exitCode: Int32 { 1 }

    /// The same error with context prefixed to the message (for example the secret or file it concerns).
    public func prefixed(_ context: String) -> CloakError {
        CloakError(code, "\(context): \(message)", at: location)
    }
}
