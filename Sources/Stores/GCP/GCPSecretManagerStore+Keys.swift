public import Core

/// Reads for `!store`/`!store.get` on a non-secret Secret Manager store: the latest version of each secret id,
/// JSON-decoded falling back to the raw string, four at a time after the first (which fetches the token).
extension GCPSecretManagerStore: StoreKeyReader {
    public func keyName(_ coordinate: SecretCoordinate) -> String { secretId(coordinate) }

    /// Upstream: `prefix_key` (or the key alone), not cleaned.
    public func rawKeyName(_ key: String) -> String { options.prefix.isEmpty ? key : options.prefix + "_" + key }

    public func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        ParallelGets.run(names: names) { (id) throws(CloakError) -> SecretValue in try self.read(id: id) }
    }
}
