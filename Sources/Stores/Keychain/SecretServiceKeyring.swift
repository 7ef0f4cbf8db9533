public import Core
import Synchronization

/// The freedesktop Secret Service (gnome-keyring, KWallet) through cloak's own D-Bus client: items carry the
/// attributes `service` (the composed key) and `account` (the store's `service` option) and the label `service`,
/// as `secret-tool store --label=<service> service <service> account <account>` writes them, so either tool
/// reads the other's items. One bus connection and one encrypted session serve every call of the process.
public final class SecretServiceKeyring: KeyringBackend {
    let environment: Environment
    let timeout: Double
    private let state = Mutex<State>(.idle)

    private enum State {
        case idle
        case connected(SecretServiceClient)
        // A bus that failed once fails every later call the same way, without waiting again.
        case failed(CloakError)
    }

    /// Creates the backend; nothing connects until the first call. `timeout` bounds each bus round trip.
    public init(environment: Environment, timeout: Double = 10) {
        self.environment = environment
        self.timeout = timeout
    }

    /// The bus addresses to try: `DBUS_SESSION_BUS_ADDRESS`, else `$XDG_RUNTIME_DIR/bus` when it exists.
    func addresses() throws(CloakError) -> [DBusAddress] {
        if let text = environment.nonEmpty("DBUS_SESSION_BUS_ADDRESS") { return try DBusAddress.parse(text) }
        if let runtime = environment.nonEmpty("XDG_RUNTIME_DIR"), FileSystem.exists(Path.join(runtime, "bus")) {
            return [.path(Path.join(runtime, "bus"))]
        }
        throw CloakError(
            .backend,
            "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); run inside a desktop session or "
                + "dbus-run-session, or use options.backend: file")
    }

    private func withClient<R>(_ body: (SecretServiceClient) throws(CloakError) -> R) throws(CloakError) -> R {
        let result: Result<R, CloakError> = state.withLock { state in
            do throws(CloakError) {
                let client: SecretServiceClient
                switch state {
                case .connected(let c): client = c
                case .failed(let e): throw e
                case .idle:
                    do throws(CloakError) {
                        let bus = try DBusConnection(addresses: try addresses(), timeout: timeout)
                        client = try SecretServiceClient(bus: bus)
                        state = .connected(client)
                    } catch {
                        state = .failed(error)
                        throw error
                    }
                }
                return .success(try body(client))
            } catch {
                return .failure(error)
            }
        }
        do {
            return try result.get()
        } catch {
            throw error.prefixed("keychain")
        }
    }

    private func attributes(_ service: String, _ account: String) -> [String: String] {
        ["service": service, "account": account]
    }

    /// The first matching item, unlocked (without a prompt) when it is locked.
    private func findItem(_ client: SecretServiceClient, _ service: String, _ account: String) throws(CloakError)
        -> String?
    {
        let found = try client.search(attributes(service, account))
        if let item = found.unlocked.first { return item }
        guard let locked = found.locked.first else { return nil }
        return try client.unlock([locked], purpose: "unlock the item \"\(service)\"").first ?? locked
    }

    public func read(service: String, account: String) throws(CloakError) -> SecretBytes? {
        try withClient { (client) throws(CloakError) -> SecretBytes? in
            guard let item = try findItem(client, service, account) else { return nil }
            return try client.secret(of: item)
        }
    }

    public func write(service: String, account: String, value: SecretBytes) throws(CloakError) {
        try withClient { (client) throws(CloakError) in
            let collection = try client.defaultCollection()
            _ = try client.unlock([collection], purpose: "unlock the default collection")
            try client.createItem(
                in: collection, label: service, attributes: attributes(service, account), value: value)
        }
    }

    public func remove(service: String, account: String) throws(CloakError) -> Bool {
        try withClient { (client) throws(CloakError) -> Bool in
            let found = try client.search(attributes(service, account))
            var items = found.unlocked
            if !found.locked.isEmpty {
                items += try client.unlock(found.locked, purpose: "unlock the item \"\(service)\"")
            }
            for item in items { try client.delete(item: item) }
            return !items.isEmpty
        }
    }

    /// Existence needs no unlock: locked items count.
    public func contains(service: String, account: String) throws(CloakError) -> Bool {
        try withClient { (client) throws(CloakError) -> Bool in
            let found = try client.search(attributes(service, account))
            return !found.unlocked.isEmpty || !found.locked.isEmpty
        }
    }
}
