public import Core
public import YAML

// Stack manifests and `!include`d files named `*.sops.yaml`, `*.sops.yml` or `*.sops.json` are decrypted in-process
// when loaded (MAC verified; age keys from the usual sources) and then merged like any other file. Their string
// leaves count as secrets (masking, var-file scrubbing); in `describe` every value they contribute is masked.
// Stack index cache: a catalog that decrypted a manifest never writes the cache (a stack name could come from a
// decrypted var and would otherwise be stored in plaintext); only names and paths are ever stored there anyway.

extension StackCatalog {
    /// Enables encrypted manifests: `decryptor` is called for every `*.sops.*` manifest or include.
    public func decryptManifests(with decryptor: SopsDecryptor) {
        processor.decryptor = decryptor
    }

    /// String leaves of every encrypted manifest decrypted so far (register them with the masker).
    public var decryptedManifestValues: [SecretBytes] { processor.decryptedValues }

    /// `node` with every scalar that came from an encrypted manifest replaced by `replacement` (any type: ports and
    /// flags too), judged by the node's source location.
    public func maskEncryptedValues(_ node: Node, replacement: String) -> Node {
        let files = processor.encryptedFiles
        guard !files.isEmpty else { return node }
        return Self.mask(node, files: files, replacement: replacement)
    }

    private static func mask(_ node: Node, files: Set<String>, replacement: String) -> Node {
        switch node.content {
        case .scalar:
            guard let file = node.location?.file, files.contains(file) else { return node }
            return Node(.scalar(replacement, .doubleQuoted), location: node.location)
        case .sequence(let items):
            var out = node
            out.content = .sequence(items.map { mask($0, files: files, replacement: replacement) })
            return out
        case .mapping(let pairs):
            var out = node
            out.content = .mapping(pairs.map { Node.Pair(key: $0.key, value: mask($0.value, files: files, replacement: replacement)) })
            return out
        }
    }
}

extension ManifestProcessor {
    /// Whether `path` names a SOPS-encrypted manifest (`NAME.sops.yaml|yml|json`; a bare `.sops.yaml` is sops's
    /// own configuration file, not a manifest).
    static func isEncrypted(_ path: String) -> Bool {
        let name = Path.basename(path).lowercased()
        for suffix in [".sops.yaml", ".sops.yml", ".sops.json"] where name.hasSuffix(suffix) {
            return name.count > suffix.count
        }
        return false
    }

    /// The plaintext of an encrypted manifest (YAML or JSON text); its string leaves are recorded as secrets.
    func decryptManifest(_ path: String, display: String) throws(CloakError) -> String {
        guard let decryptor else {
            throw CloakError(.config, "\(display): encrypted manifests need SOPS decryption, which this command does not enable")
        }
        let format = path.lowercased().hasSuffix(".json") ? "json" : "yaml"
        let plain = try decryptor.decrypt(try FileSystem.readBytes(path), display, format, format)
        let text = plain.unsafeString()
        encryptedFiles.insert(display)
        if let tree = try? YAMLLoader.loadSingle(text, file: display) { record(tree) }
        return text
    }

    /// `!include` of an encrypted file: decrypted, parsed by its extension, never as raw text of the ciphertext.
    func includeEncrypted(_ path: String, raw: Bool, at location: SourceLocation?) throws(CloakError) -> Node {
        let text = try decryptManifest(path, display: path)
        if raw { return Node(.scalar(text, .literal), location: location) }
        if path.lowercased().hasSuffix(".json") { return try JSON.parse(text, file: path) }
        return try YAMLLoader.loadSingle(text, file: path)
    }

    private func record(_ node: Node) {
        switch node.content {
        case .scalar(let text, _):
            guard node.isStringScalar, !text.isEmpty else { return }
            var bytes = Array(text.utf8)
            decryptedValues.append(SecretBytes(consuming: &bytes))
        case .sequence(let items): for item in items { record(item) }
        case .mapping(let pairs): for pair in pairs { record(pair.value) }
        }
    }
}
