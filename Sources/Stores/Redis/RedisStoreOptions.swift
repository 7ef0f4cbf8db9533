public import Core
public import YAML

/// The options of a `redis` store, as plain values.
public struct RedisStoreOptions: Sendable {
    /// The store's name.
    public var name: String
    /// `url` (or `ATMOS_REDIS_URL`), parsed.
    public var url: RedisURL
    /// `prefix`.
    public var prefix: String = ""
    /// `stack_delimiter` (default `/`, as upstream: the stack is kept whole).
    public var stackDelimiter: String = "/"
    /// `ca_bundle`: a PEM file of CA certificates trusted for `rediss://`, besides the system's.
    public var caBundle: String?
    /// `timeout` seconds for connecting and for each reply (default 10).
    public var timeout: Double = 10

    /// Creates options.
    public init(name: String, url: RedisURL) {
        self.name = name
        self.url = url
    }

    /// Reads `stores.<name>.options`.
    public static func parse(name: String, options: Node, environment: Environment) throws(CloakError) -> RedisStoreOptions {
        let r = StoreOptionReader(store: name, node: options)
        let url: RedisURL
        if let text = r.text("url") {
            do throws(CloakError) { url = try RedisURL.parse(text) } catch { throw r.error("url: \(error.message)", "url") }
        } else if let text = environment.nonEmpty("ATMOS_REDIS_URL") {
            do throws(CloakError) { url = try RedisURL.parse(text) } catch {
                throw CloakError(.config, "store \"\(name)\": ATMOS_REDIS_URL: \(error.message)", at: options.location)
            }
        } else {
            throw r.error("url is required (or set ATMOS_REDIS_URL)")
        }
        var o = RedisStoreOptions(name: name, url: url)
        o.prefix = r.text("prefix") ?? ""
        if let d = r.text("stack_delimiter") { o.stackDelimiter = d }
        o.caBundle = r.text("ca_bundle")
        if let t = try r.timeout() { o.timeout = t }
        return o
    }
}
