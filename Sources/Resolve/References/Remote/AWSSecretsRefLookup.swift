public import Core
public import YAML

/// How one `ref+awssecrets://NAME-OR-ARN[?version_stage=…&version_id=…][#/frag]` reference is read (C.6): the
/// Secrets Manager `SecretId` as written (a trailing `/` dropped), the secret string (or binary bytes) as is, or
/// parsed as YAML/JSON with a fragment. When that read fails for a fragment lookup, vals reads `<id>/meta`, whose
/// YAML key `github.com/helmfile/vals` lists suffixes, and builds a map of `<id>/<suffix>` secrets.
public struct AWSSecretsRefLookup: Sendable, Equatable {
    /// The `SecretId`.
    public var secretId: String
    /// `version_stage=`.
    public var versionStage: String?
    /// `version_id=`.
    public var versionId: String?

    /// The key of the list of sub-secret suffixes in a `/meta` secret.
    public static let metaKey = "github.com/helmfile/vals"

    /// Interprets a provider path and its parameters.
    public init(path: String, params: RefParams) throws(CloakError) {
        var id = Substring(path)
        while id.hasSuffix("/") { id = id.dropLast() }
        guard !id.isEmpty else { throw CloakError(.config, "awssecrets: the secret name or ARN is empty") }
        secretId = String(id)
        versionStage = params.value("version_stage").flatMap { $0.isEmpty ? nil : $0 }
        versionId = params.value("version_id").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The id of the `/meta` secret.
    public var metaId: String { secretId + "/meta" }

    /// The sub-secret suffixes a parsed `/meta` secret lists (leading `/` dropped); an error when the key is
    /// missing or not a list.
    public static func metaSuffixes(_ meta: Node) throws(CloakError) -> [String] {
        guard let pairs = meta.pairs, let list = pairs.last(where: { $0.key.scalarText == metaKey })?.value else {
            throw CloakError(.notFound, "awssecrets: \"\(metaKey)\" not found in the meta secret")
        }
        guard let items = list.items else {
            throw CloakError(.config, "awssecrets: \"\(metaKey)\" in the meta secret is not a list")
        }
        return items.map { item in
            var s = Substring(GoValueFormat.format(item))
            while s.hasPrefix("/") { s = s.dropFirst() }
            return String(s)
        }
    }
}
