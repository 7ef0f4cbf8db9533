public import Core
public import YAML

/// The options of a `github/actions` store, as plain values.
public struct GitHubActionsStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `owner`: the user or organisation.
    public var owner: String
    /// `repo`: the repository.
    public var repo: String
    /// `environment`: write environment secrets instead of repository secrets.
    public var environment: String?
    /// `prefix`: names are `PREFIX_KEY`.
    public var prefix: String = ""
    /// The token: `token`, else `ATMOS_PRO_GITHUB_TOKEN`, `ATMOS_GITHUB_TOKEN`, `GITHUB_TOKEN`, `GH_TOKEN`.
    public var token: SecretBytes?
    /// `api_url` (else `GITHUB_API_URL`, set on runners and for GitHub Enterprise; default `https://api.github.com`).
    public var apiURL: String = "https://api.github.com"
    /// `ci.enabled`: read values from the environment even when `GITHUB_ACTIONS` is not `true`.
    public var ciEnabled: Bool = false
    /// `timeout` seconds per attempt.
    public var timeout: Double?
    /// `max_attempts`.
    public var maxAttempts: Int?

    /// Creates options.
    public init(name: String, owner: String, repo: String) {
        self.name = name
        self.owner = owner
        self.repo = repo
    }

    /// Reads `stores.<name>.options` and the token variables.
    public static func parse(
        name: String, options: Node, environment: Environment
    ) throws(CloakError) -> GitHubActionsStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        var o = GitHubActionsStoreOptions(name: name, owner: try r.required(["owner"]), repo: try r.required(["repo"]))
        o.environment = r.text("environment")
        o.prefix = r.text("prefix") ?? ""
        let token =
            r.text("token") ?? environment.nonEmpty("ATMOS_PRO_GITHUB_TOKEN") ?? environment.nonEmpty("ATMOS_GITHUB_TOKEN")
            ?? environment.nonEmpty("GITHUB_TOKEN") ?? environment.nonEmpty("GH_TOKEN")
        if let token {
            var bytes = Array(token.utf8)
            o.token = SecretBytes(consuming: &bytes)
        }
        if let url = r.text(["api_url", "base_url"]) ?? environment.nonEmpty("GITHUB_API_URL") { o.apiURL = url }
        o.ciEnabled = try r.nested("ci")?.bool("enabled") ?? false
        o.timeout = try r.timeout()
        o.maxAttempts = try r.maxAttempts()
        return o
    }
}
