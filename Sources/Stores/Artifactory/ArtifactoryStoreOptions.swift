public import Core
public import YAML

/// The options of an `artifactory` store, as plain values.
public struct ArtifactoryStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `url`: the Artifactory base URL, e.g. `https://example.jfrog.io/artifactory`.
    public var url: String
    /// `repo_name`: the generic repository that holds the values.
    public var repoName: String
    /// `access_token` (or `ARTIFACTORY_ACCESS_TOKEN`, then `JFROG_ACCESS_TOKEN`); nil for `anonymous`.
    public var accessToken: SecretBytes?
    /// `prefix`.
    public var prefix: String = ""
    /// `stack_delimiter` (default `/`: the stack is kept whole).
    public var stackDelimiter: String = "/"
    /// `ca_bundle`: extra CA certificates (PEM).
    public var caBundle: String?
    /// `timeout` seconds per attempt.
    public var timeout: Double?
    /// `max_attempts`.
    public var maxAttempts: Int?

    /// Creates options.
    public init(name: String, url: String, repoName: String) {
        self.name = name
        self.url = url
        self.repoName = repoName
    }

    /// Reads `stores.<name>.options` and the token variables.
    public static func parse(
        name: String, options: Node, environment: Environment
    ) throws(CloakError) -> ArtifactoryStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        let url = try r.required(["url"])
        let repo = try r.required(["repo_name"])
        var o = ArtifactoryStoreOptions(name: name, url: url, repoName: repo)
        guard
            let token = r.text("access_token") ?? environment.nonEmpty("ARTIFACTORY_ACCESS_TOKEN")
                ?? environment.nonEmpty("JFROG_ACCESS_TOKEN")
        else {
            throw r.error(
                "access_token is required (or set ARTIFACTORY_ACCESS_TOKEN or JFROG_ACCESS_TOKEN; `anonymous` sends none)")
        }
        if token != "anonymous" {
            var bytes = Array(token.utf8)
            o.accessToken = SecretBytes(consuming: &bytes)
        }
        o.prefix = r.text("prefix") ?? ""
        if let d = r.text("stack_delimiter") { o.stackDelimiter = d }
        o.caBundle = r.text("ca_bundle")
        o.timeout = try r.timeout()
        o.maxAttempts = try r.maxAttempts()
        return o
    }
}
