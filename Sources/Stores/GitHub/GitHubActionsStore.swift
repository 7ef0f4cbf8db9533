public import Core
import YAML

/// `github/actions`: repository or environment secrets of GitHub Actions. Names are `[PREFIX_]KEY` upper-cased
/// (`KeyComposition.githubActions`); stack and component are not part of them, as upstream.
///
/// GitHub never returns a secret's value, so:
/// - `set` fetches the repository's (or environment's) public key and uploads the value sealed to it
///   (`crypto_box_seal`); strings go as they are, other values as JSON;
/// - `exists` and `delete` use the secret's metadata endpoint (a missing secret deletes quietly, as upstream);
/// - `get` works only inside a workflow run (`GITHUB_ACTIONS=true`, or `ci.enabled`), where the workflow maps the
///   secret into the environment (`env: NAME: ${{ secrets.NAME }}`): the value is that variable's, JSON-decoded
///   falling back to the raw string. Outside a run, reading is a one-line error that says so.
public final class GitHubActionsStore: SecretBackend, Sendable {
    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: GitHubActionsStoreOptions
    let rest: RESTClient
    let environment: Environment

    /// Creates the store.
    public init(options: GitHubActionsStoreOptions, context: RESTContext = RESTContext()) {
        self.options = options
        label = "store:\(options.name)"
        rest = RESTClient(
            http: context.client(maxAttempts: options.maxAttempts), timeouts: RESTContext.timeouts(options.timeout))
        environment = context.environment
    }

    /// Inside a workflow run values are environment variables, checked without a request.
    public var isLocal: Bool { canRead }

    /// Every scope maps to the same flat name.
    public func supports(_ scope: SecretScope) -> Bool { true }

    var canRead: Bool { options.ciEnabled || environment["GITHUB_ACTIONS"] == "true" }

    /// The secret name of a coordinate; reserved or invalid names are a configuration error.
    public func secretName(_ coordinate: SecretCoordinate) throws(CloakError) -> String {
        guard let name = KeyComposition.githubActions(prefix: options.prefix, key: coordinate.key) else {
            throw CloakError(
                .config, "store \"\(options.name)\": GitHub reserves secret names starting with GITHUB_ (key \"\(coordinate.key)\")")
        }
        guard let first = name.first, first == "_" || first.isLetter else {
            throw CloakError(
                .config, "store \"\(options.name)\": GitHub secret names cannot start with a digit (\"\(name)\")")
        }
        return name
    }

    /// `<api>/repos/<owner>/<repo>[/environments/<env>]` + `/actions/secrets` or `/secrets`.
    var collection: String {
        var base = options.apiURL
        while base.hasSuffix("/") { base.removeLast() }
        let repo = base + "/repos/" + URIEncoding.encode(options.owner) + "/" + URIEncoding.encode(options.repo)
        if let env = options.environment { return repo + "/environments/" + URIEncoding.encode(env) + "/secrets" }
        return repo + "/actions/secrets"
    }

    private var target: String {
        "\(options.owner)/\(options.repo)" + (options.environment.map { " environment \($0)" } ?? "")
    }

    private func call(_ method: String, _ url: String, body: SecretBytes? = nil, what: String) throws(CloakError)
        -> HTTPResponse
    {
        guard let token = options.token else {
            throw CloakError(
                .config,
                "store \"\(options.name)\": no GitHub token; set options.token or GITHUB_TOKEN (a token that may write "
                    + "Actions secrets of \(options.owner)/\(options.repo))")
        }
        let headers = [
            token.bearerHeader(), (name: "Accept", value: "application/vnd.github+json"),
            (name: "X-GitHub-Api-Version", value: "2022-11-28"),
        ]
        let response = try rest.send(method, url, headers: headers, body: body, what: what)
        if response.status == 401 || response.status == 403 {
            response.body.reset()
            throw CloakError(
                .config,
                "\(what): HTTP \(response.status): the GitHub token was refused or may not manage Actions secrets of \(target)")
        }
        return response
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        let name = try secretName(coordinate)
        guard canRead else {
            throw CloakError(
                .config,
                "GitHub Actions secret \(name) can be read only inside a GitHub Actions run (GITHUB_ACTIONS=true, or "
                    + "ci.enabled on store \"\(options.name)\"); GitHub never returns secret values")
        }
        guard let text = environment[name] else {
            throw CloakError(
                .notInitialized,
                "GitHub Actions secret \(name) is not present in the environment; map it in the workflow: "
                    + "env: { \(name): ${{ secrets.\(name) }} }")
        }
        var bytes = Array(text.utf8)
        return JSONValueEncoding.decode(SecretBytes(consuming: &bytes))
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let name = try secretName(coordinate)
        let (keyId, key) = try publicKey()
        guard let sealed = SealedBox.seal(value.bytes, to: key) else {
            throw CloakError(.backend, "github: the public key of \(target) is not a 32-byte X25519 key")
        }
        let body = "{\"encrypted_value\":\"\(Base64.encode(sealed))\",\"key_id\":\(JSON.quote(keyId, escapeHTML: false))}"
        var bytes = Array(body.utf8)
        let what = "github put secret \(name) (\(target))"
        let response = try call("PUT", collection + "/" + URIEncoding.encode(name), body: SecretBytes(consuming: &bytes), what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let name = try secretName(coordinate)
        let what = "github delete secret \(name) (\(target))"
        let response = try call("DELETE", collection + "/" + URIEncoding.encode(name), what: what)
        guard response.isSuccess || response.status == 404 else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        let name = try secretName(coordinate)
        if canRead { return environment[name] != nil }
        let what = "github get secret \(name) (\(target))"
        let response = try call("GET", collection + "/" + URIEncoding.encode(name), what: what)
        response.body.reset()
        if response.status == 404 { return false }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        return true
    }

    /// The repository's (or environment's) public key: its id and the 32 key bytes.
    private func publicKey() throws(CloakError) -> (String, [UInt8]) {
        let what = "github get public key (\(target))"
        let response = try call("GET", collection + "/public-key", what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(
                .notFound,
                "github: \(target) was not found, or the token cannot see it; check owner, repo and environment of store \"\(options.name)\"")
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        guard let id = doc.plain(["key_id"]), let encoded = doc.plain(["key"]), let key = AWSBase64.decode(encoded) else {
            throw CloakError(.backend, "\(what): the response has no key_id and key")
        }
        return (id, key)
    }
}
