public import Core
public import YAML

/// The options of a `onepassword` store, as plain values.
public struct OnePasswordStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `mode`: `auto` (default), `connect` or `service-account`.
    public var mode: String = "auto"
    /// `connect_host` (or `OP_CONNECT_HOST`).
    public var connectHost: String?
    /// `connect_token` (or `OP_CONNECT_TOKEN`).
    public var connectToken: SecretBytes?
    /// Whether a service-account token is configured (`token` or `OP_SERVICE_ACCOUNT_TOKEN`).
    public var hasServiceAccountToken: Bool = false
    /// `vault`: prepended as `op://<vault>/` to references that are not `op://` URLs.
    public var vault: String?
    /// `timeout` seconds per attempt.
    public var timeout: Double?
    /// `max_attempts`.
    public var maxAttempts: Int?

    /// Creates options.
    public init(name: String) { self.name = name }

    /// Reads `stores.<name>.options` and the `OP_*` variables.
    public static func parse(
        name: String, options: Node, environment: Environment
    ) throws(CloakError) -> OnePasswordStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        var o = OnePasswordStoreOptions(name: name)
        if let m = r.text("mode") {
            guard ["auto", "connect", "service-account"].contains(m) else {
                throw r.error("mode \"\(m)\" is not one of auto, connect, service-account", "mode")
            }
            o.mode = m
        }
        o.connectHost = r.text("connect_host") ?? environment.nonEmpty("OP_CONNECT_HOST")
        if let t = r.text("connect_token") ?? environment.nonEmpty("OP_CONNECT_TOKEN") {
            var bytes = Array(t.utf8)
            o.connectToken = SecretBytes(consuming: &bytes)
        }
        o.hasServiceAccountToken = r.text("token") != nil || environment.nonEmpty("OP_SERVICE_ACCOUNT_TOKEN") != nil
        o.vault = r.text("vault")
        o.timeout = try r.timeout()
        o.maxAttempts = try r.maxAttempts()
        return o
    }
}
