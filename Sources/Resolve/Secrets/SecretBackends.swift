public import Core

/// Builds concrete backends; supplied by the composition root, so Resolve knows no store or SOPS types.
public struct SecretBackends: Sendable {
    /// A backend for a SOPS provider.
    public var sops: @Sendable (SopsProviderConfig) throws(CloakError) -> any SecretBackend
    /// A backend for a configured secret store.
    public var store: @Sendable (StoreConfig) throws(CloakError) -> any SecretBackend
    /// Backends for `ref:` declarations and `ref+…` strings (only echo, file and envsubst unless the composition
    /// root adds more).
    public var references: RefRegistry

    /// Creates the factory.
    public init(
        sops: @escaping @Sendable (SopsProviderConfig) throws(CloakError) -> any SecretBackend,
        store: @escaping @Sendable (StoreConfig) throws(CloakError) -> any SecretBackend,
        references: RefRegistry = .local()
    ) {
        self.sops = sops
        self.store = store
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
