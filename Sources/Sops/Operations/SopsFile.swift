public import Core

/// A decrypted SOPS file: the plaintext tree (MAC verified), its metadata, the data key and the IVs needed to
/// re-encrypt unchanged values byte for byte.
public struct SopsFile: Sendable {
    /// Name used in messages (usually the path).
    public let file: String
    /// The file's format.
    public var format: SopsFormat
    /// Decrypted documents (one except for multi-document YAML).
    public var documents: [[SopsItem]]
    /// Metadata as read (or as created).
    public var metadata: SopsMetadata
    let dataKey: SecretBytes
    var stash: IVStash

    // MARK: decrypting

    /// Parses and decrypts `bytes`: recovers the data key, decrypts every value, then verifies the MAC before
    /// anything is returned. `forEditing: false` skips remembering IVs: the file can be read but re-encrypting it
    /// would give every value a new ciphertext.
    public static func decrypt(
        _ bytes: [UInt8], file: String, format: SopsFormat, services: [any SopsKeyService], ignoreMAC: Bool = false,
        forEditing: Bool = true
    ) throws(CloakError) -> SopsFile {
        let loaded = try format.store.load(bytes, file: file)
        guard let metaValue = loaded.metadata else {
            throw CloakError(.decrypt, "\(file): not a SOPS file (no sops metadata)")
        }
        var metadata = try MetadataCodec.parse(metaValue, file: file)
        metadata.flatKeyOrder = loaded.flatKeyOrder
        let key = try DataKey.recover(metadata, services: services, file: file)
        let initialStash = forEditing ? IVStash() : .disabled
        var cipher = try TreeCipher(rules: metadata.rules, key: key, file: file, stash: initialStash, decrypting: true)
        let docs = try cipher.run(loaded.documents)
        var stash = cipher.stash
        let computed = cipher.macHex()
        if !ignoreMAC {
            guard !metadata.mac.isEmpty else {
                throw CloakError(.decrypt, "\(file): MAC mismatch: the file has no MAC (edited outside sops?)")
            }
            let aad = SopsClock.normalized(metadata.lastModified)
            let stored: SopsLeaf
            do {
                let (leaf, iv) = try ValueCipher.decrypt(metadata.mac, key: key, aad: aad)
                stored = leaf
                stash.remember(aad: aad, leaf: leaf, iv: iv)
            } catch {
                throw CloakError(.decrypt, "\(file): MAC mismatch: cannot authenticate the MAC (sops.lastmodified or "
                    + "sops.mac was edited outside sops)")
            }
            guard stored.bytes.isEqual(to: Array(computed.utf8)) else {
                throw CloakError(.decrypt, "\(file): MAC mismatch: the file was edited outside sops (an unencrypted "
                    + "value, the structure or sops.lastmodified changed)")
            }
        } else if !metadata.mac.isEmpty {
            let aad = SopsClock.normalized(metadata.lastModified)
            if let (leaf, iv) = try? ValueCipher.decrypt(metadata.mac, key: key, aad: aad) {
                stash.remember(aad: aad, leaf: leaf, iv: iv)
            }
        }
        return SopsFile(file: file, format: format, documents: docs, metadata: metadata, dataKey: key, stash: stash)
    }

    /// Reads and decrypts the file at `path` (format from `format` or the file name).
    public static func decrypt(
        path: String, format: SopsFormat? = nil, services: [any SopsKeyService], ignoreMAC: Bool = false,
        forEditing: Bool = true
    ) throws(CloakError) -> SopsFile {
        let bytes = try FileSystem.readBytes(path)
        return try decrypt(bytes, file: path, format: format ?? SopsFormat(path: path), services: services,
                           ignoreMAC: ignoreMAC, forEditing: forEditing)
    }

    /// Reads only the metadata and the plaintext key names, without decrypting (for status checks).
    public static func inspect(
        _ bytes: [UInt8], file: String, format: SopsFormat
    ) throws(CloakError) -> (metadata: SopsMetadata, topLevelKeys: [String]) {
        let loaded = try format.store.load(bytes, file: file)
        guard let metaValue = loaded.metadata else {
            throw CloakError(.decrypt, "\(file): not a SOPS file (no sops metadata)")
        }
        let md = try MetadataCodec.parse(metaValue, file: file)
        return (md, (loaded.documents.first ?? []).compactMap(\.key))
    }

    // MARK: creating

    /// A new, empty file with a fresh data key wrapped for `rule`'s key groups.
    public static func create(
        file: String, format: SopsFormat, rule: SopsCreationRule, services: [any SopsKeyService]
    ) throws(CloakError) -> SopsFile {
        guard !rule.keyGroups.isEmpty, rule.keyGroups.allSatisfy({ !$0.entries.isEmpty }) else {
            throw CloakError(.config, "\(file): failed to resolve SOPS recipients (set spec.age_recipients or add a "
                + "matching .sops.yaml creation rule): no keys")
        }
        let key = SecretBytes.random(count: 32)
        let threshold = rule.keyGroups.count > 1 ? (rule.shamirThreshold > 0 ? rule.shamirThreshold : rule.keyGroups.count) : 0
        let groups = try DataKey.distribute(key, groups: rule.keyGroups, threshold: threshold, services: services, file: file)
        var rules = rule.rules.withDefault
        if format == .binary { rules = SopsCryptRules() }
        _ = try CryptDecider(rules, file: file)
        let md = SopsMetadata(
            keyGroups: groups, shamirThreshold: rule.keyGroups.count > 1 ? threshold : 0, rules: rules,
            usesKeyGroups: rule.keyGroups.count > 1)
        return SopsFile(file: file, format: format, documents: [[]], metadata: md, dataKey: key, stash: IVStash())
    }

    /// Encrypts a plaintext file (`sops encrypt`): parse `plaintext`, then a fresh data key for `rule`.
    public static func encrypt(
        plaintext: [UInt8], file: String, format: SopsFormat, rule: SopsCreationRule, services: [any SopsKeyService],
        now: Int64 = SopsClock.now(), options: SopsEmitOptions = SopsEmitOptions()
    ) throws(CloakError) -> [UInt8] {
        let loaded = try format.store.load(plaintext, file: file)
        if loaded.metadata != nil || (format == .dotenv || format == .ini) && loaded.flatKeyOrder != nil {
            throw CloakError(.usage, "\(file): file already encrypted")
        }
        if format == .yaml && loaded.documents.isEmpty {
            throw CloakError(.usage, "\(file): file cannot be completely empty, it must contain at least one document")
        }
        var f = try create(file: file, format: format, rule: rule, services: services)
        f.documents = loaded.documents
        return try f.encrypted(now: now, options: options)
    }

    // MARK: reading values

    /// The value at `path` in the first document.
    public func value(at path: [SopsPathComponent]) -> SopsValue? {
        SopsValue.mapping(documents.first ?? []).value(at: path[...])
    }

    /// The top-level keys of the first document, in order.
    public var topLevelKeys: [String] { (documents.first ?? []).compactMap(\.key) }

    // MARK: editing

    /// Sets `value` at `path` in the first document: existing keys keep their position (and comments), new keys
    /// are appended.
    public mutating func set(_ value: SopsValue, at path: [SopsPathComponent]) throws(CloakError) {
        guard !path.isEmpty else { throw CloakError(.usage, "\(file): empty tree path") }
        if case .key("sops") = path[0] { throw CloakError(.usage, "\(file): the top-level key 'sops' is reserved") }
        if documents.isEmpty { documents = [[]] }
        var root = SopsValue.mapping(documents[0])
        try root.set(value, at: path[...])
        if case .mapping(let items) = root { documents[0] = items }
    }

    /// Removes the value at `path`; returns whether it existed.
    @discardableResult
    public mutating func unset(at path: [SopsPathComponent]) -> Bool {
        guard !documents.isEmpty else { return false }
        var root = SopsValue.mapping(documents[0])
        let removed = root.unset(at: path[...])
        if case .mapping(let items) = root { documents[0] = items }
        return removed
    }

    // MARK: writing

    /// Re-encrypts with the same data key, reusing the IV of every unchanged (path, value) pair, recomputes the MAC,
    /// sets `lastmodified` to `now` and serialises in this file's format.
    public func encrypted(now: Int64 = SopsClock.now(), options: SopsEmitOptions = SopsEmitOptions()) throws(CloakError) -> [UInt8] {
        var cipher = try TreeCipher(rules: metadata.rules, key: dataKey, file: file, stash: stash, decrypting: false)
        let docs = try cipher.run(documents)
        var md = metadata
        md.lastModified = SopsClock.format(now)
        let macLeaf = SopsLeaf.string(cipher.macHex())
        md.mac = try ValueCipher.encrypt(macLeaf, key: dataKey, aad: md.lastModified,
                                         iv: stash.iv(aad: md.lastModified, leaf: macLeaf))
        let metaValue = MetadataCodec.emit(md, layout: options.metadataLayout, binary: format == .binary)
        return try format.store.emit(docs, metadata: metaValue, flatKeyOrder: md.flatKeyOrder, options: options)
    }

    /// The decrypted content serialised as `format` (default: the file's own format). The result holds plaintext
    /// secrets: write it where it must go and drop it.
    public func plaintext(as format: SopsFormat? = nil, options: SopsEmitOptions = SopsEmitOptions()) throws(CloakError) -> [UInt8] {
        let f = format ?? self.format
        var docs = documents
        if f != .yaml && docs.count > 1 { docs = [docs[0]] }
        return try f.store.emit(docs, metadata: nil, flatKeyOrder: nil, options: options)
    }
}

extension SopsFile: CustomStringConvertible, CustomReflectable {
    public var description: String { "SopsFile(\(file), \(format.rawValue), <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
