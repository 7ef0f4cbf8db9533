public import Core

/// Reads for `!store`/`!store.get`: secrets by name (batched), JSON-decoded falling back to the raw string.
extension ASMStore: StoreKeyReader {
    public func keyName(_ coordinate: SecretCoordinate) -> String { secretName(coordinate) }

    public func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        rawSecrets(names.map { ASMSecretRequest(secretId: $0) }).map { $0.map(AWSValueEncoding.asmDecode) }
    }
}
