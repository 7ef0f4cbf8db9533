public import Core

/// Reads for `!store`/`!store.get` on a non-secret Vault store: KV v2 paths under the mount, the `value` field or
/// the whole data map, four at a time after the first.
extension VaultStore: StoreKeyReader {
    public func keyName(_ coordinate: SecretCoordinate) -> String { secretPath(coordinate) }

    /// Upstream: the key under the prefix (`prefix/key`), slashes trimmed.
    public func rawKeyName(_ key: String) -> String {
        options.prefix.isEmpty ? VaultPaths.trim(key) : VaultPaths.trim(VaultPaths.trim(options.prefix) + "/" + VaultPaths.trim(key))
    }

    public func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        ParallelGets.run(names: names) { (path) throws(CloakError) -> SecretValue in
            try self.read(path: VaultPaths.trim(path))
        }
    }
}
