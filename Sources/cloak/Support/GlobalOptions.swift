import ArgumentParser
import Core
import Resolve

/// Flags every stack-aware command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: [.customLong("config-path"), .customLong("config")], help: "atmos.yaml file or directory (repeatable).")
    var configPaths: [String] = []

    @Option(name: .customLong("base-path"), help: "Override base_path from atmos.yaml.")
    var basePath: String?

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
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json
}
