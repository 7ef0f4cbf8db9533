/// A parsed `WWW-Authenticate: Bearer authorization="…", resource="…"` (or `scope="…"`) challenge from Key Vault.
public struct AzureChallenge: Sendable, Equatable {
    /// The authority URL (`https://login.microsoftonline.com/<tenant>`).
    public var authorization: String
    /// The OAuth scope to request (`<resource>/.default`, or the challenge's `scope`).
    public var scope: String
    /// The resource the token is for (`https://vault.azure.net`).
    public var resource: String

    /// The tenant: the authority URL's last path segment.
    public var tenant: String? {
        let parts = authorization.split(separator: "/")
        guard parts.count >= 3, let last = parts.last else { return nil }
        return String(last)
    }

    /// The authority host (`scheme://host[:port]`).
    public var authorityHost: String { HTTPClient.origin(authorization) }

    /// Parses a header value; nil when it is not a Bearer challenge with an authority.
    public static func parse(_ header: String) -> AzureChallenge? {
        var rest = Substring(header)
        while rest.first == " " { rest.removeFirst() }
        guard rest.lowercased().hasPrefix("bearer") else { return nil }
        rest = rest.dropFirst(6)
        var params: [String: String] = [:]
        while !rest.isEmpty {
            while let f = rest.first, f == " " || f == "," { rest.removeFirst() }
            guard let eq = rest.firstIndex(of: "=") else { break }
            let key = rest[..<eq].lowercased()
            rest = rest[rest.index(after: eq)...]
            var value = ""
            if rest.first == "\"" {
                rest.removeFirst()
                while let c = rest.first, c != "\"" {
                    value.append(c)
                    rest.removeFirst()
                }
                if !rest.isEmpty { rest.removeFirst() }
            } else {
                while let c = rest.first, c != "," {
                    value.append(c)
                    rest.removeFirst()
                }
            }
            params[key] = value.trimmingCharacters()
        }
        guard let auth = params["authorization"] ?? params["authorization_uri"], !auth.isEmpty else { return nil }
        var scope = params["scope"] ?? ""
        var resource = params["resource"] ?? ""
        if scope.isEmpty && !resource.isEmpty { scope = resource + "/.default" }
        if resource.isEmpty && scope.hasSuffix("/.default") { resource = String(scope.dropLast("/.default".count)) }
        guard !scope.isEmpty else { return nil }
        return AzureChallenge(authorization: auth, scope: scope, resource: resource)
    }

    /// Whether the resource's host is the vault host or a parent domain of it (`vault.azure.net` for
    /// `myvault.vault.azure.net`).
    public func resourceMatches(vaultURL: String) -> Bool {
        let resourceHost = Self.host(resource)
        let vaultHost = Self.host(vaultURL)
        guard !resourceHost.isEmpty else { return false }
        return vaultHost == resourceHost || vaultHost.hasSuffix("." + resourceHost)
    }

    static func host(_ url: String) -> String {
        var o = Substring(HTTPClient.origin(url))
        if let r = o.firstRange(of: "://") { o = o[r.upperBound...] }
        if let colon = o.lastIndex(of: ":"), !o.hasSuffix("]") { o = o[..<colon] }
        return o.lowercased()
    }
}
