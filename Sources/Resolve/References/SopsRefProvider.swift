public import Core
public import YAML

/// In-process SOPS decryption handed to Resolve by the composition root (Resolve cannot import Sops).
public struct SopsDecryptor: Sendable {
    /// Decrypts `bytes` (an encrypted file in `inputFormat`: yaml, json, dotenv, ini or binary), verifying the MAC,
    /// and returns the plaintext emitted as `outputFormat`. `name` is used in messages.
    public var decrypt: @Sendable (_ bytes: [UInt8], _ name: String, _ inputFormat: String, _ outputFormat: String) throws(CloakError) -> SecretBytes

    /// Creates a decryptor.
    public init(decrypt: @escaping @Sendable (_ bytes: [UInt8], _ name: String, _ inputFormat: String, _ outputFormat: String) throws(CloakError) -> SecretBytes) {
        self.decrypt = decrypt
    }

    /// The format sops infers from a file name: yaml, json, dotenv, ini, else binary.
    public static func format(forPath path: String) -> String {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return "yaml" }
        if lower.hasSuffix(".json") { return "json" }
        if lower.hasSuffix(".env") { return "dotenv" }
        if lower.hasSuffix(".ini") { return "ini" }
        return "binary"
    }
}

/// `ref+sops://PATH-OR-DATA?key_type=filepath|base64&format=…[#/frag]` (C.6). `key_type=filepath` (default) reads
/// the file; `base64` takes the whole encrypted file as URL-safe base64 in the reference. Without a fragment the
/// decrypted file as its store emits it; with one, the file decrypted, emitted as YAML and parsed.
public struct SopsRefProvider: RefProvider {
    let decryptor: SopsDecryptor
    let workingDirectory: String?

    /// Creates the provider.
    public init(decryptor: SopsDecryptor, workingDirectory: String? = nil) {
        self.decryptor = decryptor
        self.workingDirectory = workingDirectory
    }

    /// Local files decrypted with local age keys.
    public var isLocal: Bool { true }

    public func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        let (bytes, name, format) = try load(path, params: params, defaultFormat: nil)
        let plain = try decryptor.decrypt(bytes, name, format, format)
        return plain.unsafeString()
    }

    public func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        let (bytes, name, format) = try load(path, params: params, defaultFormat: "yaml")
        let plain = try decryptor.decrypt(bytes, name, format, "yaml")
        return try RefDocument.parseMap(plain.unsafeString(), source: "sops: \(name)")
    }

    private func load(_ path: String, params: RefParams, defaultFormat: String?) throws(CloakError) -> ([UInt8], String, String) {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let explicit = params.value("format").flatMap { $0.isEmpty ? nil : $0 }
        if let explicit, !["yaml", "json", "dotenv", "ini", "binary"].contains(explicit) {
            throw CloakError(.config, "sops: unsupported format=\(explicit) (yaml, json, dotenv, ini or binary)")
        }
        switch params.value("key_type") ?? "filepath" {
        case "", "filepath":
            let full = Path.absolute(trimmed, relativeTo: workingDirectory ?? FileSystem.currentDirectory())
            let bytes: [UInt8]
            do { bytes = try FileSystem.readBytes(full) } catch { throw CloakError(error.code, "sops: \(error.message)") }
            return (bytes, full, explicit ?? SopsDecryptor.format(forPath: full))
        case "base64":
            guard let bytes = Base64.decode(trimmed, alphabet: .url, padded: true)
                ?? Base64.decode(trimmed, alphabet: .url, padded: false)
            else { throw CloakError(.config, "sops: key_type=base64 data is not URL-safe base64") }
            return (bytes, "inline sops data", explicit ?? defaultFormat ?? "binary")
        case let other:
            throw CloakError(.config, "sops: unsupported key_type=\(other) (filepath or base64)")
        }
    }
}
