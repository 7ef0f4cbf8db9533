public import Core
import Synchronization

/// One place keychain items live: items are addressed by (service = composed key, account = the store's
/// `service` option), as generic passwords are on every OS keychain.
public protocol KeyringBackend: Sendable {
    /// The stored bytes, or nil when there is no such item.
    func read(service: String, account: String) throws(CloakError) -> SecretBytes?
    /// Creates or replaces an item.
    func write(service: String, account: String, value: SecretBytes) throws(CloakError)
    /// Removes an item; false when there was none.
    func remove(service: String, account: String) throws(CloakError) -> Bool
    /// Whether an item exists (without a password where the backend allows).
    func contains(service: String, account: String) throws(CloakError) -> Bool
}

/// Items in process memory, shared by every memory store of the process.
public final class MemoryKeyring: KeyringBackend {
    private let items = Mutex<[String: SecretBytes]>([:])

    /// The process-wide instance.
    public static let shared = MemoryKeyring()

    /// Creates an empty keyring.
    public init() {}

    private func key(_ s: String, _ a: String) -> String { a + "\u{0}" + s }

    public func read(service: String, account: String) -> SecretBytes? { items.withLock { $0[key(service, account)] } }

    public func write(service: String, account: String, value: SecretBytes) {
        items.withLock { $0[key(service, account)] = value }
    }

    public func remove(service: String, account: String) -> Bool {
        items.withLock { $0.removeValue(forKey: key(service, account)) != nil }
    }

    public func contains(service: String, account: String) -> Bool { read(service: service, account: account) != nil }
}
