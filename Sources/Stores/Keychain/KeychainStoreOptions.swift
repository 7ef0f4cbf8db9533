public import Core
public import YAML

/// Where a `keychain` store keeps its items.
public enum KeychainBackendKind: String, Sendable {
    /// The desktop Secret Service (gnome-keyring, KWallet) over D-Bus, with cloak's own client.
    case system
    /// Encrypted files under `file_dir`.
    case file
    /// Process memory (tests, dry runs).
    case memory
}

/// The options of a `keychain` store, as plain values.
public struct KeychainStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `backend` (default `system`).
    public var backend: KeychainBackendKind = .system
    /// `service` (default `atmos-secrets`): the item's `account` attribute.
    public var service: String = "atmos-secrets"
    /// `file_dir` (default `$XDG_DATA_HOME/cloak/keyring`).
    public var fileDir: String
    /// `password_env` (default `ATMOS_KEYRING_PASSWORD`): the variable holding the file backend's password.
    public var passwordEnv: String = "ATMOS_KEYRING_PASSWORD"
    /// `prefix` (default `atmos`).
    public var prefix: String = "atmos"
    /// `stack_delimiter` (default `-`).
    public var stackDelimiter: String = "-"
    /// `timeout` (default 10 s): how long the `system` backend waits for each D-Bus reply.
    public var timeout: Double = 10

    /// Creates options with the defaults.
    public init(name: String, fileDir: String) {
        self.name = name
        self.fileDir = fileDir
    }

    /// Reads `stores.<name>.options`.
    public static func parse(
        name: String, options: Node, environment: Environment
    ) throws(CloakError) -> KeychainStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        var o = KeychainStoreOptions(name: name, fileDir: Path.join(environment.dataHome, "cloak/keyring"))
        if let b = r.text("backend") {
            guard let kind = KeychainBackendKind(rawValue: b) else {
                throw r.error("backend \"\(b)\" is not one of system, file, memory", "backend")
            }
            o.backend = kind
        }
        if let s = r.text("service") { o.service = s }
        if let d = r.text("file_dir") { o.fileDir = environment.expandPath(d) }
        if let p = r.text("password_env") { o.passwordEnv = p }
        if let node = options["prefix"], !node.isNull { o.prefix = node.scalarText ?? "atmos" }
        if let d = r.text("stack_delimiter") { o.stackDelimiter = d }
        if let t = try r.timeout() { o.timeout = t }
        return o
    }
}
