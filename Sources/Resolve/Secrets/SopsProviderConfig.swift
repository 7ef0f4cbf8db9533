public import Core
public import YAML

/// A SOPS provider (`secrets.providers.<name>`): where its files are and how keys are found.
public struct SopsProviderConfig: Sendable {
    /// Provider name.
    public var name: String
    /// `kind` (`sops/age`, `sops/aws-kms`, `sops/gcp-kms`, `sops/azure-kv`, `sops/gpg`).
    public var kind: String
    /// `identity:`.
    public var identity: String?
    /// `spec.file`, a Go template over `atmos_stack` and `atmos_component`.
    public var fileTemplate: String?
    /// `spec.path`: the directory for derived file names (default `secrets`).
    public var path: String
    /// Inline age key (`spec.age_key` as a string, or `spec.age_key.value`).
    public var ageKey: String?
    /// `spec.age_key: !store.get STORE KEY` (or `!store`): the key read from a non-secret aws/ssm or aws/asm store.
    public var ageKeyFunction: Node?
    /// `spec.age_key.store` (a store name; `file` means a key file at `spec.age_key.path`).
    public var ageKeyStore: String?
    /// `spec.age_key.path`.
    public var ageKeyPath: String?
    /// `spec.age_key_file` (`~` and `$VAR` expanded by the caller).
    public var ageKeyFile: String?
    /// `spec.age_recipients`, split on commas.
    public var ageRecipients: [String]
    /// `spec.recipients_file` (where keygen writes the public key).
    public var recipientsFile: String?
    /// Where the provider is declared.
    public var location: SourceLocation?

    /// Whether the provider uses age keys (kind empty, `sops`, or ending in `/age`).
    public var isAge: Bool { kind.isEmpty || kind == "sops" || kind.hasSuffix("/age") }

    /// Parses a `secrets.providers` mapping.
    public static func parseAll(_ node: Node?) throws(CloakError) -> [String: SopsProviderConfig] {
        guard let node, !node.isNull else { return [:] }
        guard let pairs = node.pairs else {
            throw CloakError(.config, "secrets.providers must be a mapping", at: node.location)
        }
        var out: [String: SopsProviderConfig] = [:]
        for pair in pairs {
            guard let name = pair.key.scalarText else { continue }
            out[name] = try parse(name: name, pair.value)
        }
        return out
    }

    static func parse(name: String, _ node: Node) throws(CloakError) -> SopsProviderConfig {
        guard node.isMapping else {
            throw CloakError(.config, "secrets provider \"\(name)\" must be a mapping {kind, spec}", at: node.location)
        }
        let spec = node["spec"] ?? .mapping([])
        func text(_ n: Node?) -> String? {
            guard let n, !n.isNull, let t = n.scalarText, !t.isEmpty else { return nil }
            return t
        }
        var config = SopsProviderConfig(
            name: name, kind: text(node["kind"]) ?? "sops/age", identity: text(node["identity"]),
            fileTemplate: text(spec["file"]), path: text(spec["path"]) ?? "secrets", ageKey: nil, ageKeyStore: nil,
            ageKeyPath: nil, ageKeyFile: text(spec["age_key_file"]),
            ageRecipients: (text(spec["age_recipients"]) ?? "").split(separator: ",")
                .map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty },
            recipientsFile: text(spec["recipients_file"]), location: node.location)
        if let key = spec["age_key"], !key.isNull {
            if key.isMapping {
                config.ageKey = text(key["value"])
                config.ageKeyStore = text(key["store"])
                config.ageKeyPath = text(key["path"])
            } else if let tag = key.tag, StoreFunctionResolver.tags.contains(tag) {
                // Checked now so a malformed call fails with the config, not at the first decryption.
                do { _ = try StoreFunction(tag: tag, parsing: key.scalarText ?? "") } catch {
                    throw CloakError(error.code, "secrets provider \"\(name)\": age_key: \(error.message)", at: key.location)
                }
                config.ageKeyFunction = key
            } else {
                config.ageKey = text(key)
            }
        }
        return config
    }

    /// The SOPS file holding `coordinate` (relative paths are relative to the working directory, as in Atmos).
    /// Global coordinates are refused before any I/O (SOPS files are per stack).
    public func file(for coordinate: SecretCoordinate) throws(CloakError) -> String {
        if coordinate.stack.isEmpty {
            throw CloakError(
                .config,
                "secret scope not supported by backend: secret \"\(coordinate.key)\" is global-scoped but backend \"\(name)\" (\(kind)) does not support that scope")
        }
        if let template = fileTemplate {
            let data = Node.mapping([
                "atmos_stack": .string(coordinate.stack), "atmos_component": .string(coordinate.component),
            ])
            do {
                return try GoTemplate(template, name: "secrets.providers.\(name).spec.file").render(data, environment: nil)
            } catch {
                throw CloakError(.config, "failed to render SOPS file path template: \(error.message)", at: location)
            }
        }
        if coordinate.component.isEmpty { return Path.join(path, "\(coordinate.stack).enc.yaml") }
        return Path.join(path, "\(coordinate.stack).\(coordinate.component).enc.yaml")
    }
}
