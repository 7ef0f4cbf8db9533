public import Core

/// What to run: argv, the complete child environment, and what else the child inherits.
public struct LaunchCommand: Sendable {
    /// `arguments[0]` is looked up on the `PATH` of `environment` (not cloak's) unless it contains a `/`.
    public var arguments: [String]
    /// The child's whole environment (build it with `EnvironmentBlock.inheriting()` plus secrets).
    public var environment: EnvironmentBlock
    /// Working directory for the child; nil keeps cloak's. Relative command paths resolve against it.
    public var workingDirectory: String?
    /// Descriptors the child receives at fixed numbers (everything else above 2 is closed in the child).
    public var descriptors: [InheritedDescriptor]

    /// Creates a command.
    public init(
        arguments: [String],
        environment: EnvironmentBlock,
        workingDirectory: String? = nil,
        descriptors: [InheritedDescriptor] = []
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.descriptors = descriptors
    }
}

/// A descriptor of cloak's (`source`, typically close-on-exec) that the child gets as `target` without
/// close-on-exec.
public struct InheritedDescriptor: Sendable, Equatable {
    /// The descriptor in cloak.
    public var source: Int32
    /// The number the child sees (3 or more).
    public var target: Int32

    /// Creates a mapping.
    public init(source: Int32, target: Int32) {
        self.source = source
        self.target = target
    }
}
