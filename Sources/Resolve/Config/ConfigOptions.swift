public import Core

/// Where and how to find `atmos.yaml`: command-line overrides plus the environment.
public struct ConfigOptions: Sendable {
    /// `--config` / `--config-path`: files or directories (a directory means `<dir>/atmos.yaml`).
    public var configPaths: [String]
    /// `--base-path`.
    public var basePath: String?
    /// The working directory.
    public var workingDirectory: String
    /// The environment (`ATMOS_*` overrides, `!env`).
    public var environment: Environment

    /// Creates options.
    public init(
        configPaths: [String] = [], basePath: String? = nil, workingDirectory: String? = nil,
        environment: Environment = .process
    ) {
        self.configPaths = configPaths
        self.basePath = basePath
        self.workingDirectory = workingDirectory ?? FileSystem.currentDirectory()
        self.environment = environment
    }
}
