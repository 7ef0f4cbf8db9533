public import Core

/// How one `ref+vault://MOUNT/PATH[/FIELD][?…][#/frag]` reference is read (C.6): with a fragment the secret at the
/// whole path is read and its data map walked; without one the last segment is the field of the secret above it
/// (`ref+vault://secret/foo/bar` is field `bar` of `secret/foo`).
public struct VaultRefLookup: Sendable, Equatable {
    /// The logical secret path (`<mount>/<path>`, KV version 2 paths without `data/`).
    public var secretPath: String
    /// The field, for references without a fragment.
    public var field: String?

    /// Interprets a provider path.
    public init(path: String, wantsMap: Bool) throws(CloakError) {
        var p = Substring(path)
        while p.hasPrefix("/") { p = p.dropFirst() }
        while p.hasSuffix("/") { p = p.dropLast() }
        guard !p.isEmpty else { throw CloakError(.config, "vault: the secret path is empty") }
        if wantsMap {
            secretPath = String(p)
            return
        }
        guard let slash = p.lastIndex(of: "/") else {
            throw CloakError(
                .config, "vault: \"\(p)\" names no field (write ref+vault://MOUNT/PATH/FIELD, or add #/field)")
        }
        secretPath = String(p[..<slash])
        field = String(p[p.index(after: slash)...])
    }
}
