public import Core

/// sops's YAML store (pending the YAML module's parser).
struct YAMLStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        throw CloakError(.internal, "YAML store not available yet")
    }
    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        throw CloakError(.internal, "YAML store not available yet")
    }
}
