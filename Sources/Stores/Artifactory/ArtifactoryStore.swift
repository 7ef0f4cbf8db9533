public import Core

/// `artifactory`: a non-secret store for `!store`/`!store.get` on a generic JFrog Artifactory repository (refused as
/// a secret store: values are not encrypted at rest). Each value is one file at `<repo>/<prefix>/<stack…>/<component…>/
/// <key>`, JSON-encoded; reads are `GET <url>/<repo>/<path>` with `Authorization: Bearer <token>`, JSON-decoded
/// falling back to the raw text (upstream refused a file that is not JSON), four at a time after the first.
public final class ArtifactoryStore: StoreKeyReader, Sendable {
    /// The options.
    public let options: ArtifactoryStoreOptions
    let rest: RESTClient

    /// Creates the store.
    public init(options: ArtifactoryStoreOptions, context: RESTContext = RESTContext()) {
        self.options = options
        rest = RESTClient(
            http: context.client(caBundle: options.caBundle, maxAttempts: options.maxAttempts),
            timeouts: RESTContext.timeouts(options.timeout))
    }

    public func keyName(_ coordinate: SecretCoordinate) -> String {
        KeyComposition.compose(
            prefix: options.repoName + "/" + options.prefix, coordinate: coordinate,
            stackDelimiter: options.stackDelimiter, joiner: "/")
    }

    /// Upstream: `<repo>/<prefix>/<key>.json` (`.json` added when missing).
    public func rawKeyName(_ key: String) -> String {
        var path = options.prefix.isEmpty ? key : options.prefix + "/" + key
        if !path.hasSuffix(".json") { path += ".json" }
        return options.repoName + "/" + path
    }

    public func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        ParallelGets.run(names: names) { (path) throws(CloakError) -> SecretValue in try self.read(path) }
    }

    /// The file at `path` (repository first).
    func read(_ path: String) throws(CloakError) -> SecretValue {
        var base = options.url
        while base.hasSuffix("/") { base.removeLast() }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { URIEncoding.encode(String($0)) }
        let url = base + "/" + segments.joined(separator: "/")
        let what = "artifactory download \"\(path)\""
        var headers: [(name: String, value: String)] = []
        if let token = options.accessToken { headers.append(token.bearerHeader()) }
        let response = try rest.send("GET", url, headers: headers, what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notInitialized, "file \"\(path)\" not found in artifactory store \"\(options.name)\"")
        }
        if response.status == 401 || response.status == 403 {
            response.body.reset()
            throw CloakError(
                .config,
                "\(what): HTTP \(response.status): the access token was refused (check access_token, "
                    + "ARTIFACTORY_ACCESS_TOKEN or JFROG_ACCESS_TOKEN)")
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let raw = response.body.secret()
        response.body.reset()
        return JSONValueEncoding.decode(raw)
    }
}
