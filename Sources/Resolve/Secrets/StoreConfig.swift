public import Core
public import YAML

/// One entry of atmos.yaml `stores:`.
public struct StoreConfig: Sendable {
    /// The store's name (the key under `stores:`).
    public var name: String
    /// Canonical kind (`aws/ssm`, `aws/asm`, `hashicorp/vault`, `azure/keyvault`, `gcp/secretmanager`,
    /// `onepassword`, `keychain`, `github/actions`, `redis`, `artifactory`, …).
    public var kind: String
    /// Whether the store holds secrets (`secret: true`, or implied by the kind).
    public var isSecret: Bool
    /// `identity:` (an atmos.yaml `auth.identities` name).
    public var identity: String?
    /// `options:`.
    public var options: Node
    /// Where the entry is written.
    public var location: SourceLocation?

    /// Legacy `type` names and aliases → canonical kinds (atmos-secrets.md §1.2).
    public static func canonicalKind(_ raw: String) -> String {
        switch raw {
        case "aws-ssm-parameter-store": "aws/ssm"
        case "aws-secrets-manager": "aws/asm"
        case "azure-key-vault": "azure/keyvault"
        case "google-secret-manager", "google/secretmanager", "gsm": "gcp/secretmanager"
        case "hashicorp-vault": "hashicorp/vault"
        case "1password", "onepassword": "onepassword"
        case "keychain", "keyring": "keychain"
        case "github-actions": "github/actions"
        default: raw
        }
    }

    /// Kinds that are secret stores even without `secret: true`.
    static let secretByDefault: Set<String> = ["onepassword", "keychain", "github/actions"]
    /// Kinds that do not encrypt at rest and may not be secret stores.
    static let neverSecret: Set<String> = ["redis", "artifactory"]

    /// Parses atmos.yaml `stores:`; a `redis`/`artifactory` store marked secret is an error (and so fails every
    /// command, as in Atmos).
    public static func parseAll(_ node: Node?) throws(CloakError) -> [String: StoreConfig] {
        guard let node, !node.isNull else { return [:] }
        guard let pairs = node.pairs else { throw CloakError(.config, "stores must be a mapping", at: node.location) }
        var out: [String: StoreConfig] = [:]
        for pair in pairs {
            guard let name = pair.key.scalarText else { continue }
            let entry = pair.value
            let raw = entry["kind"]?.scalarText ?? entry["type"]?.scalarText ?? ""
            guard !raw.isEmpty else {
                throw CloakError(.config, "store \"\(name)\" needs a kind (e.g. aws/ssm, hashicorp/vault, keychain)", at: entry.location)
            }
            let kind = canonicalKind(raw)
            let secret = entry["secret"]?.boolValue ?? secretByDefault.contains(kind)
            if secret && neverSecret.contains(kind) {
                throw CloakError(
                    .config,
                    "store cannot be marked secret: backend does not encrypt values at rest: store \"\(name)\" uses backend \"\(kind)\"",
                    at: entry["secret"]?.location ?? entry.location)
            }
            out[name] = StoreConfig(
                name: name, kind: kind, isSecret: secret || secretByDefault.contains(kind),
                identity: entry["identity"]?.scalarText, options: entry["options"] ?? .mapping([]), location: entry.location)
        }
        return out
    }
}
