public import Core

extension SopsFile {
    /// Replaces the decrypted content with `plaintext` (in this file's format, e.g. what an editor saved), keeping
    /// the data key, so values that did not change re-encrypt to the same ciphertext. Errors name the file and the
    /// position of a syntax error, never its content.
    public mutating func replaceContent(plaintext: [UInt8], displayName: String) throws(CloakError) {
        let loaded = try format.store.load(plaintext, file: displayName)
        if loaded.metadata != nil {
            throw CloakError(.usage, "\(displayName): the edited content must not contain a 'sops' key")
        }
        documents = loaded.documents.isEmpty ? [[]] : loaded.documents
    }
}
