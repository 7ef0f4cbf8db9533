public import Core

/// Reads for `!store`/`!store.get`: parameters by full name, batched like every SSM read, JSON-decoded.
extension SSMStore: StoreKeyReader {
    public func keyName(_ coordinate: SecretCoordinate) -> String { parameterName(coordinate) }

    public func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        rawValues(names).map { $0.map(AWSValueEncoding.ssmDecode) }
    }
}
