public import Core
public import YAML

/// The options of a `gcp/secretmanager` store, as plain values.
public struct GCPStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `project_id` (or `GOOGLE_CLOUD_PROJECT`).
    public var projectId: String
    /// `prefix`.
    public var prefix: String = ""
    /// `stack_delimiter` (default `-`).
    public var stackDelimiter: String = "-"
    /// `credentials`: a credentials JSON file path, or the JSON itself.
    public var credentials: String?
    /// `locations`: replica locations for new secrets (user-managed replication); empty = automatic.
    public var locations: [String] = []
    /// `location`: keep secrets as regional secrets in this location (`projects/*/locations/*/secrets`).
    public var location: String?
    /// `endpoint`/`endpoint_url` (default `https://secretmanager.googleapis.com`, or the regional endpoint).
    public var endpoint: String?
    /// `without_authentication`: send no token (emulators).
    public var withoutAuthentication: Bool = false
    /// `timeout` seconds per attempt.
    public var timeout: Double?
    /// `max_attempts`.
    public var maxAttempts: Int?

    /// Creates options.
    public init(name: String, projectId: String) {
        self.name = name
        self.projectId = projectId
    }

    /// Reads `stores.<name>.options`.
    public static func parse(
        name: String, options: Node, environment: Environment
    ) throws(CloakError) -> GCPStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        guard let project = r.text(["project_id", "project"]) ?? environment.nonEmpty("GOOGLE_CLOUD_PROJECT") else {
            throw r.error("project_id is required (or set GOOGLE_CLOUD_PROJECT)")
        }
        var o = GCPStoreOptions(name: name, projectId: project)
        o.prefix = r.text("prefix") ?? ""
        if let d = r.text("stack_delimiter") { o.stackDelimiter = d }
        o.credentials = r.text("credentials")
        o.locations = r.list("locations")
        o.location = r.text("location")
        o.endpoint = r.text(["endpoint", "endpoint_url"])
        o.withoutAuthentication = try r.bool("without_authentication") ?? false
        o.timeout = try r.timeout()
        o.maxAttempts = try r.maxAttempts()
        return o
    }
}
