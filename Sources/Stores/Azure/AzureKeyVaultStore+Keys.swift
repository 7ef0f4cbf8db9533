public import Core

/// Reads for `!store`/`!store.get` on a non-secret Key Vault store: secrets by name, JSON-decoded falling back to
/// the raw string, four at a time after the first (which learns the vault's challenge).
extension AzureKeyVaultStore: StoreKeyReader {
    public func keyName(_ coordinate: SecretCoordinate) -> String { secretName(coordinate) }

    /// Upstream: the key normalised to a Key Vault name; the prefix is not added.
    public func rawKeyName(_ key: String) -> String { KeyComposition.azureNormalize(key) }

    public func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        ParallelGets.run(names: names) { (name) throws(CloakError) -> SecretValue in try self.read(name: name) }
    }
}
