public import Core

/// `keychain`: a local store of generic passwords whose service is the coordinate's composed name
/// (`KeyComposition.keychain`) and whose account is the `service` option; values are stored JSON-encoded.
/// Backends: the Secret Service (`system`), encrypted files (`file`) or memory. Delete is idempotent.
public final class KeychainStore: SecretBackend, Sendable {
    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: KeychainStoreOptions
    /// Where items live.
    public let keyring: any KeyringBackend

    /// Creates the store over the backend its options name.
    public init(options: KeychainStoreOptions, environment: Environment = .process) {
        self.options = options
        self.label = "store:\(options.name)"
        switch options.backend {
        case .system: keyring = SecretServiceKeyring(environment: environment, timeout: options.timeout)
        case .file:
            keyring = FileKeyring(
                directory: options.fileDir, passwordEnv: options.passwordEnv, environment: environment)
        case .memory: keyring = MemoryKeyring.shared
        }
    }

    /// Creates the store over a given keyring (tests).
    public init(options: KeychainStoreOptions, keyring: any KeyringBackend) {
        self.options = options
        self.label = "store:\(options.name)"
        self.keyring = keyring
    }

    /// Local: `list` checks status without `--verify`.
    public var isLocal: Bool { true }

    /// Every scope.
    public func supports(_ scope: SecretScope) -> Bool { true }

    /// The item's service name for a coordinate.
    public func itemName(_ coordinate: SecretCoordinate) -> String {
        KeyComposition.keychain(prefix: options.prefix, coordinate: coordinate, stackDelimiter: options.stackDelimiter)
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        let name = itemName(coordinate)
        guard let raw = try keyring.read(service: name, account: options.service) else {
            throw CloakError(.notInitialized, "item \"\(name)\" not found in store \"\(options.name)\"")
        }
        return JSONValueEncoding.decode(raw)
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        try keyring.write(
            service: itemName(coordinate), account: options.service, value: JSONValueEncoding.encode(value))
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        _ = try keyring.remove(service: itemName(coordinate), account: options.service)
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        try keyring.contains(service: itemName(coordinate), account: options.service)
    }
}
