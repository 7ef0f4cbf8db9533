public import Core

/// Builds concrete backends; supplied by the composition root, so Resolve knows no store or SOPS types.
public struct SecretBackends: Sendable {
    /// A backend for a SOPS provider.
    public var sops: @Sendable (SopsProviderConfig) throws(CloakError) -> any SecretBackend
    /// A backend for a configured secret store.
    public var store: @Sendable (StoreConfig) throws(CloakError) -> any SecretBackend
    /// A reader for `!store`/`!store.get` on a configured non-secret store (by default the store's backend, when it
    /// can be read by key name).
    public var reader: @Sendable (StoreConfig) throws(CloakError) -> any StoreKeyReader
    /// Backends for `ref:` declarations and `ref+…` strings (only echo, file and envsubst unless the composition
    /// root adds more).
    public var references: RefRegistry

    /// Creates the factory.
    public init(
        sops: @escaping @Sendable (SopsProviderConfig) throws(CloakError) -> any SecretBackend,
        store: @escaping @Sendable (StoreConfig) throws(CloakError) -> any SecretBackend,
        references: RefRegistry = .local(),
        reader: (@Sendable (StoreConfig) throws(CloakError) -> any StoreKeyReader)? = nil
    ) {
        self.sops = sops
        self.store = store
        if let reader {
            self.reader = reader
        } else {
            self.reader = { (config) throws(CloakError) -> any StoreKeyReader in
                guard let r = try store(config) as? any StoreKeyReader else {
                    throw CloakError(.config, "store \"\(config.name)\" (\(config.kind)) cannot be read by !store in this cloak build")
                }
                return r
            }
        }
        self.references = references
    }
}

/// What `list` and `validate` report for one declaration.
public enum SecretStatus: Sendable, Equatable {
    /// The backend has a value.
    case initialized
    /// The backend has no value.
    case missing
    /// A remote store that was not contacted (no `--verify`).
    case unknown
    /// The check failed (message is safe to print).
    case error(String)

    /// The word `list` prints.
    public var label: String {
        switch self {
        case .initialized: "initialized"
        case .missing: "missing"
        case .unknown: "unknown"
        case .error: "error"
        }
    }
}
