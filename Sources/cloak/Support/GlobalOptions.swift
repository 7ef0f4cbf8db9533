import CLI
import Core
import Resolve

/// Flags every stack-aware command accepts.
struct GlobalOptions {
    static let configPath = OptionSpec.repeated(["config-path", "config"], help: "atmos.yaml file or directory (repeatable).")
    static let basePath = OptionSpec.value("base-path", help: "Override base_path from atmos.yaml.")
    /// The options, for a command's spec.
    static let options = [configPath, basePath]

    var configPaths: [String]
    var basePath: String?

    /// Reads the options from a parsed command line.
    init(_ arguments: ParsedArguments) {
        configPaths = arguments.strings(Self.configPath)
        basePath = arguments.string(Self.basePath)
    }

    /// Loads atmos.yaml and builds the stack catalog.
    func catalog() throws(CloakError) -> StackCatalog {
        try GlobalOptions.catalog(configPaths: configPaths, basePath: basePath)
    }

    /// Loads atmos.yaml from `configPaths` (or the usual discovery) and builds the stack catalog.
    static func catalog(configPaths: [String], basePath: String?) throws(CloakError) -> StackCatalog {
        let options = ConfigOptions(configPaths: configPaths, basePath: basePath)
        let config = try ConfigLoader.load(options)
        let catalog = StackCatalog(config: config, environment: options.environment)
        catalog.decryptManifests(with: BackendFactory.sopsDecryptor())
        return catalog
    }
}

/// How structured output is printed.
enum OutputFormat: String, ArgumentChoice {
    case yaml, json
}
