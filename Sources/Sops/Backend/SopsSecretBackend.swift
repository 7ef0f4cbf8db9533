public import Core
import Synchronization

/// A SOPS provider as a secret backend: each coordinate maps to a file (via `fileFor`) and a top-level key in it.
/// Files are decrypted once per run and cached; writes go through the locked, atomic update.
public final class SopsSecretBackend: SecretBackend, @unchecked Sendable {
    /// `sops:<provider>`.
    public let label: String
    private let provider: String
    private let fileFor: @Sendable (SecretCoordinate) throws(CloakError) -> String
    private let keySources: AgeKeySources
    private let recipients: [String]
    private let extraServices: [any SopsKeyService]
    private let cache = Mutex<[String: SopsFile]>([:])
    private let identities = Mutex<[AgeIdentity]?>(nil)

    /// Creates a backend for provider `provider`. `recipients` pins the age recipients of new files (else the
    /// nearest `.sops.yaml` creation rule applies); `extraServices` adds KMS/pgp key services.
    public init(
        provider: String, fileFor: @escaping @Sendable (SecretCoordinate) throws(CloakError) -> String,
        keySources: AgeKeySources, recipients: [String] = [], extraServices: [any SopsKeyService] = [PGPKeyService()]
    ) {
        self.provider = provider
        self.label = "sops:\(provider)"
        self.fileFor = fileFor
        self.keySources = keySources
        self.recipients = recipients
        self.extraServices = extraServices
    }

    /// SOPS files are local: status needs no credentials.
    public var isLocal: Bool { true }

    /// SOPS files hold instance- and stack-scoped secrets only.
    public func supports(_ scope: SecretScope) -> Bool { scope != .global }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        var batch = Batch()
        return try get(coordinate, batch: &batch)
    }

    /// Reads many values; each file's path is worked out, and the file looked up, once per batch.
    public func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>] {
        var batch = Batch()
        return coordinates.map { (c) -> Result<SecretValue, CloakError> in
            do throws(CloakError) { return .success(try get(c, batch: &batch)) } catch { return .failure(error) }
        }
    }

    /// What one batch has already worked out: the file of each stack/component (a path template is rendered once)
    /// and whether each file exists.
    private struct Batch {
        var paths: [String: String] = [:]
        var present: [String: Bool] = [:]
    }

    /// One value, reusing what `batch` knows.
    private func get(_ coordinate: SecretCoordinate, batch: inout Batch) throws(CloakError) -> SecretValue {
        let scope = coordinate.stack + "\u{0}" + coordinate.component
        let path: String
        if let known = batch.paths[scope] {
            path = known
        } else {
            path = try fileFor(coordinate)
            batch.paths[scope] = path
        }
        let exists: Bool
        if let known = batch.present[path] {
            exists = known
        } else {
            exists = FileSystem.exists(path)
            batch.present[path] = exists
        }
        guard exists else {
            throw CloakError(
                .notInitialized,
                "SOPS file not found: \"\(path)\" (run 'cloak set \(coordinate.key)=… -s STACK -c COMPONENT' or 'cloak init'; the first write creates it)")
        }
        let file = try decrypted(path)
        guard let value = file.value(at: [.key(coordinate.key)]) else {
            throw CloakError(.notInitialized, "secret is not initialized in its backend: \"\(coordinate.key)\" (not in \(path))")
        }
        return try SopsSecretBackend.secretValue(value)
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let path = try fileFor(coordinate)
        let newValue: SopsValue
        switch value {
        case .text(let bytes): newValue = .string(bytes)
        case .json(let bytes): newValue = try SopsValue.json(bytes.unsafeString())
        }
        let recipients = self.recipients
        try FileSystem.createDirectories(Path.dirname(path))
        try SopsFile.update(
            path: path, services: try services(),
            newFileRule: { () throws(CloakError) -> SopsCreationRule in
                try SopsConfig.creationRule(for: path, ageRecipients: recipients)
            },
            edit: { (file: inout SopsFile) throws(CloakError) in try file.set(newValue, at: [.key(coordinate.key)]) })
        _ = cache.withLock { $0.removeValue(forKey: path) }
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let path = try fileFor(coordinate)
        guard FileSystem.exists(path) else { return }
        try SopsFile.update(
            path: path, services: try services(),
            newFileRule: { () throws(CloakError) -> SopsCreationRule in
                throw CloakError(.notFound, "SOPS file not found: \"\(path)\"")
            },
            edit: { (file: inout SopsFile) throws(CloakError) in file.unset(at: [.key(coordinate.key)]) })
        _ = cache.withLock { $0.removeValue(forKey: path) }
    }

    /// Reads key names without decrypting; a missing or unreadable file counts as "not initialized".
    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        let path = try fileFor(coordinate)
        guard let bytes = try? FileSystem.readBytes(path) else { return false }
        guard let info = try? SopsFile.inspect(bytes, file: path, format: SopsFormat(path: path)) else { return false }
        return info.topLevelKeys.contains(coordinate.key)
    }

    private func decrypted(_ path: String) throws(CloakError) -> SopsFile {
        if let hit = cache.withLock({ $0[path] }) { return hit }
        // Only read: writes go through SopsFile.update, which decrypts afresh for editing.
        let file = try SopsFile.decrypt(path: path, services: try services(), forEditing: false)
        cache.withLock { $0[path] = file }
        return file
    }

    private func services() throws(CloakError) -> [any SopsKeyService] {
        if let ids = identities.withLock({ $0 }) { return [AgeKeyService(identities: ids)] + extraServices }
        let ids = try keySources.identities()
        identities.withLock { $0 = ids }
        return [AgeKeyService(identities: ids)] + extraServices
    }

    /// Strings stay text; numbers, booleans, maps and lists become JSON.
    static func secretValue(_ value: SopsValue) throws(CloakError) -> SecretValue {
        switch value {
        case .leaf(let leaf):
            switch leaf.type {
            case .str, .bytes, .time, .comment:
                return .text(leaf.bytes)
            case .int, .float:
                return .json(leaf.bytes)
            case .bool:
                let isTrue = leaf.bytes.isEqual(to: Array("True".utf8)) || leaf.bytes.isEqual(to: Array("true".utf8))
                var bytes = Array((isTrue ? "true" : "false").utf8)
                return .json(SecretBytes(consuming: &bytes))
            }
        case .null:
            var bytes = Array("null".utf8)
            return .json(SecretBytes(consuming: &bytes))
        case .mapping, .list, .comment:
            var bytes = try value.renderedJSON()
            return .json(SecretBytes(consuming: &bytes))
        }
    }
}
