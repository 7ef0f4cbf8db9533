/// A store the `!store` and `!store.get` YAML functions can read: plain keys by their full name, decoded the way the
/// store decodes its own values. Stores that cannot be read this way simply do not conform.
public protocol StoreKeyReader: Sendable {
    /// The full key name of a coordinate (prefix, stack, component and key composed as the store writes them).
    func keyName(_ coordinate: SecretCoordinate) -> String
    /// The full key name `!store.get STORE KEY` reads: each store's upstream rule (the key as written for AWS; some
    /// stores add their prefix or normalise the name).
    func rawKeyName(_ key: String) -> String
    /// The values at `names` (full key names), in the order asked; a missing key is `CloakError(.notInitialized, …)`.
    func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>]
}

extension StoreKeyReader {
    /// Default: the key exactly as written.
    public func rawKeyName(_ key: String) -> String { key }
}
