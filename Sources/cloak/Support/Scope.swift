import Core
import Resolve

/// Which stack and component a command acts on, and where atmos.yaml is: plain values, filled from `ScopeOptions`
/// (or set directly, as the component runners do).
struct Scope {
    var stack: String?
    var component: String?
    /// Component type when the name is ambiguous.
    var type: String?
    var identity: String?
    /// `--mask`: nil means the settings and `ATMOS_MASK` decide.
    var mask: Bool?
    var configPaths: [String] = []
    var basePath: String?

    /// `--stack` or `ATMOS_STACK`.
    var stackName: String? { stack ?? Environment.process.nonEmpty("ATMOS_STACK") }
    /// `--component` or `ATMOS_COMPONENT`.
    var componentName: String? { component ?? Environment.process.nonEmpty("ATMOS_COMPONENT") }

    /// Loads atmos.yaml and builds the stack catalog.
    func catalog() throws(CloakError) -> StackCatalog {
        try GlobalOptions.catalog(configPaths: configPaths, basePath: basePath)
    }
}
