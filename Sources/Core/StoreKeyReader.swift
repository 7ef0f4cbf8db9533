/// A store the `!store` and `!store.get` YAML functions can read: plain keys by their full name, decoded the way the
/// store decodes its own values. Stores that cannot be read this way simply do not conform.
public protocol StoreKeyReader: Sendable {
    /// The full key name of a coordinate (prefix, stack, component and key composed as the store writes them).
    func keyName(_ coordinate: SecretCoordinate) -> String
    /// The values at `names` (full key names), in the order asked; a missing key is `CloakError(.notInitialized, …)`.
    func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>]
}
