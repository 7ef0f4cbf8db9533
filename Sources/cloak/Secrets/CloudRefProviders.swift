import Core
import Resolve
import Stores
import Synchronization
import YAML

/// `ref+gcpsecrets://PROJECT/SECRET[?version=N&optional=true&fallback_value=…&trim_nl=true][#/frag]` through the
/// Secret Manager client (see `GCPSecretRefLookup`): Google's application default credentials; the endpoint is
/// `https://secretmanager.googleapis.com` or gcloud's `CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER`. Each secret
/// version is read once per document.
final class GCPSecretsRefProvider: RefProvider, Sendable {
    private let environment: Environment
    private let client = Mutex<GCPSecretManagerStore?>(nil)

    init(environment: Environment) { self.environment = environment }

    var isLocal: Bool { false }

    private func store() -> GCPSecretManagerStore {
        client.withLock { (c: inout GCPSecretManagerStore?) -> GCPSecretManagerStore in
            if let c { return c }
            var options = GCPStoreOptions(name: "ref+gcpsecrets", projectId: "")
            if var endpoint = environment.nonEmpty("CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER") {
                while endpoint.hasSuffix("/") { endpoint.removeLast() }
                if endpoint.hasSuffix("/v1") { endpoint.removeLast(3) }
                options.endpoint = endpoint
            }
            let made = GCPSecretManagerStore(options: options, context: RESTContext(environment: environment))
            c = made
            return made
        }
    }

    func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: false)])[0].get().scalarText ?? ""
    }

    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: true)])[0].get()
    }

    func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>] {
        let lookups = requests.map { (r) -> Result<GCPSecretRefLookup, CloakError> in
            do throws(CloakError) {
                return .success(try GCPSecretRefLookup(path: r.path, params: r.params, environment: environment))
            } catch {
                return .failure(error)
            }
        }
        let wanted = lookups.compactMap { try? $0.get() }
        let payloads = ParallelFetch.distinct(wanted.map(Self.key)) { [self] (key) -> Result<String, CloakError> in
            guard let lookup = wanted.first(where: { Self.key($0) == key }) else {
                return .failure(CloakError(.internal, "gcpsecrets: lost lookup"))
            }
            do throws(CloakError) {
                let bytes = try store().accessPayload(project: lookup.project, secret: lookup.secret, version: lookup.version)
                return .success(bytes.unsafeString())
            } catch {
                return .failure(error)
            }
        }
        return zip(requests, lookups).map { (r, parsed) -> Result<Node, CloakError> in
            do throws(CloakError) {
                let lookup = try parsed.get()
                var text: String
                switch payloads[Self.key(lookup)] ?? .failure(CloakError(.internal, "gcpsecrets: no result")) {
                case .success(let t): text = t
                case .failure(let error):
                    if let fallback = lookup.fallback { text = fallback } else if lookup.optional { text = "" } else { throw error }
                }
                if lookup.trimNewline && text.hasSuffix("\n") { text.removeLast() }
                guard r.wantsMap else { return .success(.string(text)) }
                return .success(try RefDocument.parseMap(text, source: "gcpsecrets: secret \"\(Self.key(lookup))\""))
            } catch {
                return .failure(error)
            }
        }
    }

    private static func key(_ l: GCPSecretRefLookup) -> String { [l.project, l.secret, l.version].joined(separator: "/") }
}

/// `ref+azurekeyvault://VAULT/SECRET[/VERSION][#/frag]` through the Key Vault client (see `AzureSecretRefLookup`):
/// the Azure credential chain of the stores and Key Vault's challenge protocol; `SSL_CERT_FILE` names extra CAs.
/// `disable_challenge_resource_verification=true` accepts a challenge for another domain (test vaults). Each
/// secret version is read once per document.
final class AzureKeyVaultRefProvider: RefProvider, Sendable {
    private let environment: Environment
    private let vaults = Mutex<[String: AzureKeyVaultStore]>([:])

    init(environment: Environment) { self.environment = environment }

    var isLocal: Bool { false }

    private func store(_ url: String, _ params: RefParams) -> AzureKeyVaultStore {
        let relaxed = params.value("disable_challenge_resource_verification") == "true"
        let key = url + (relaxed ? "\u{0}relaxed" : "")
        return vaults.withLock { map in
            if let s = map[key] { return s }
            var o = AzureStoreOptions(name: "ref+azurekeyvault", vaultURL: url)
            o.caBundle = environment.nonEmpty("SSL_CERT_FILE")
            o.disableChallengeResourceVerification = relaxed
            let s = AzureKeyVaultStore(options: o, context: RESTContext(environment: environment))
            map[key] = s
            return s
        }
    }

    func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: false)])[0].get().scalarText ?? ""
    }

    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: true)])[0].get()
    }

    func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>] {
        let lookups = requests.map { (r) -> Result<AzureSecretRefLookup, CloakError> in
            do throws(CloakError) { return .success(try AzureSecretRefLookup(path: r.path)) } catch { return .failure(error) }
        }
        let reads = zip(requests, lookups).compactMap { (r, parsed) in
            (try? parsed.get()).map { AzureRead(lookup: $0, params: r.params) }
        }
        let values = ParallelFetch.distinct(reads.map(\.key)) { [self] (key) -> Result<String, CloakError> in
            guard let read = reads.first(where: { $0.key == key }) else {
                return .failure(CloakError(.internal, "azurekeyvault: lost lookup"))
            }
            do throws(CloakError) {
                let raw = try store(read.lookup.vaultURL, read.params).rawSecret(read.lookup.secret, version: read.lookup.version)
                return .success(raw.unsafeString())
            } catch {
                return .failure(error)
            }
        }
        return zip(requests, lookups).map { (r, parsed) -> Result<Node, CloakError> in
            do throws(CloakError) {
                let lookup = try parsed.get()
                let key = AzureRead(lookup: lookup, params: r.params).key
                let text = try (values[key] ?? .failure(CloakError(.internal, "azurekeyvault: no result"))).get()
                guard r.wantsMap else { return .success(.string(text)) }
                return .success(try RefDocument.parseMap(text, source: "azurekeyvault: secret \"\(lookup.secret)\""))
            } catch {
                return .failure(error)
            }
        }
    }

    /// One secret version read through one client (the relaxed challenge check makes a different client).
    private struct AzureRead: Sendable {
        let lookup: AzureSecretRefLookup
        let params: RefParams
        var key: String {
            [lookup.vaultURL, lookup.secret, lookup.version ?? "", params.value("disable_challenge_resource_verification") ?? ""]
                .joined(separator: "\u{0}")
        }
    }
}

/// The 1Password Connect server of the references: `OP_CONNECT_HOST` and `OP_CONNECT_TOKEN`.
final class OnePasswordRefConnection: Sendable {
    private let environment: Environment
    private let client = Mutex<OnePasswordConnectClient?>(nil)
    private let opStore = Mutex<OnePasswordStore?>(nil)

    init(environment: Environment) { self.environment = environment }

    private func settings(_ scheme: String) throws(CloakError) -> (host: String, token: SecretBytes) {
        guard let host = environment.nonEmpty("OP_CONNECT_HOST"), let token = environment.nonEmpty("OP_CONNECT_TOKEN") else {
            throw CloakError(
                .config, "\(scheme): 1Password Connect is not configured (set OP_CONNECT_HOST and OP_CONNECT_TOKEN)")
        }
        var bytes = Array(token.utf8)
        return (host, SecretBytes(consuming: &bytes))
    }

    /// The Connect client.
    func connect(_ scheme: String) throws(CloakError) -> OnePasswordConnectClient {
        if let hit = client.withLock({ $0 }) { return hit }
        let (host, token) = try settings(scheme)
        let context = RESTContext(environment: environment)
        let made = OnePasswordConnectClient(
            host: host, token: token, rest: RESTClient(http: context.client(), timeouts: RESTContext.timeouts(nil)))
        client.withLock { $0 = made }
        return made
    }

    /// A Connect-mode store, for `op://` references.
    func store(_ scheme: String) throws(CloakError) -> OnePasswordStore {
        if let hit = opStore.withLock({ $0 }) { return hit }
        let (host, token) = try settings(scheme)
        var options = OnePasswordStoreOptions(name: "ref+\(scheme)")
        options.mode = "connect"
        options.connectHost = host
        options.connectToken = token
        let made = OnePasswordStore(options: options, context: RESTContext(environment: environment))
        opStore.withLock { $0 = made }
        return made
    }
}

/// `ref+onepasswordconnect://VAULT/ITEM#/[SECTION.]FIELD` (also as `ref+onepassword://`) through 1Password
/// Connect (see `OnePasswordRefLookup` and the client's `fieldMap`). Without a fragment, as vals does, the whole
/// field map as YAML. Each item is read once per document.
final class OnePasswordConnectRefProvider: RefProvider, Sendable {
    private let scheme: String
    private let connection: OnePasswordRefConnection

    init(scheme: String, connection: OnePasswordRefConnection) {
        self.scheme = scheme
        self.connection = connection
    }

    var isLocal: Bool { false }

    func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: false)])[0].get().scalarText ?? ""
    }

    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: true)])[0].get()
    }

    func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>] {
        var items: [String: Result<Node, CloakError>] = [:]
        return requests.map { (r) -> Result<Node, CloakError> in
            do throws(CloakError) {
                let lookup = try OnePasswordRefLookup(path: r.path, scheme: scheme)
                let key = lookup.vault + "\u{0}" + lookup.item
                if items[key] == nil { items[key] = read(lookup) }
                let map = try (items[key] ?? .failure(CloakError(.internal, "\(scheme): no result"))).get()
                guard r.wantsMap else { return .success(.string(YAMLEmitter.emit([map]))) }
                return .success(map)
            } catch {
                return .failure(error)
            }
        }
    }

    /// The field map with later names winning, keys sorted (vals builds a Go map).
    private func read(_ lookup: OnePasswordRefLookup) -> Result<Node, CloakError> {
        do throws(CloakError) {
            let fields = try connection.connect(scheme).fieldMap(vault: lookup.vault, item: lookup.item)
            var latest: [String: String] = [:]
            for (k, v) in fields { latest[k] = v.unsafeString() }
            return .success(.mapping(latest.keys.sorted().map { Node.Pair(key: .string($0), value: .string(latest[$0] ?? "")) }))
        } catch {
            return .failure(error)
        }
    }
}

/// `ref+op://VAULT/ITEM/[SECTION/]FIELD` (vals's 1Password provider; a secret reference as the `op` CLI reads it)
/// through 1Password Connect: one field's value. Fragments are not supported, as in vals.
final class OnePasswordOpRefProvider: RefProvider, Sendable {
    private let connection: OnePasswordRefConnection

    init(connection: OnePasswordRefConnection) { self.connection = connection }

    var isLocal: Bool { false }

    func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        let ref = try OnePasswordReference.parse("op://" + path, defaultVault: nil, store: "ref+op")
        let store = try connection.store("op")
        return try store.get(SecretCoordinate(stack: "", component: "", key: ref.description)).bytes.unsafeString()
    }

    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        throw CloakError(.config, "op: path fragment is not supported for the 1Password provider (use ref+onepasswordconnect)")
    }
}
