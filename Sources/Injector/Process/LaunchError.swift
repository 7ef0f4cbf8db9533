public import Core

/// Why a command could not be started, with the exit status a shell would use for it.
public struct LaunchError: Error, CustomStringConvertible, Sendable {
    /// The failure kind; decides `exitCode`.
    public enum Kind: Sendable, Equatable {
        /// Nothing named like the command exists on the child's PATH (or at the given path): 127.
        case commandNotFound
        /// Found, but not executable: permission denied, a directory, or not a loadable format: 126.
        case notExecutable
        /// Any other failure (fork, descriptors, hooks, working directory): the `CloakError` exit code.
        case failed
    }

    /// The failure kind.
    public var kind: Kind
    /// The one-line error (`CloakError(.spawn, …)`), naming the command and the OS reason only.
    public var error: CloakError

    /// Creates a launch error.
    public init(_ kind: Kind, _ error: CloakError) {
        self.kind = kind
        self.error = error
    }

    /// The process exit status a caller should use: 127, 126, or the error's own code.
    public var exitCode: Int32 {
        switch kind {
        case .commandNotFound: 127
        case .notExecutable: 126
        case .failed: error.exitCode
        }
    }

    public var description: String { error.description }

    static func spawn(_ message: String) -> LaunchError { LaunchError(.failed, CloakError(.spawn, message)) }
}
