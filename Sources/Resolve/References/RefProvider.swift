public import Core
public import YAML
import Synchronization

/// The query parameters of one reference, with vals's fallback: a parameter that is absent is read from the
/// environment variable `VALS_<NAME uppercased>` (e.g. `region` → `VALS_REGION`).
public struct RefParams: Sendable {
    /// Parameters from the query string (first value per name).
    public var query: [String: String]
    /// The raw query string: providers that keep per-configuration state key it on this.
    public var rawQuery: String
    private let environment: Environment

    /// Creates parameters; `environment` supplies the `VALS_*` fallbacks.
    public init(query: [String: String], rawQuery: String = "", environment: Environment = .process) {
        self.query = query
        self.rawQuery = rawQuery
        self.environment = environment
    }

    /// The parameter `name`, else `VALS_<NAME>`, else nil.
    public func value(_ name: String) -> String? {
        if let v = query[name] { return v }
        return environment["VALS_" + name.uppercased()]
    }
}

/// One lookup a provider is asked for: a string (no fragment) or a document to walk (fragment present).
public struct RefRequest: Sendable {
    /// The provider path (host and path joined, C.3).
    public var path: String
    /// Query parameters with the `VALS_*` fallback.
    public var params: RefParams
    /// Whether a map is wanted (the reference has a fragment).
    public var wantsMap: Bool

    /// Creates a request.
    public init(path: String, params: RefParams, wantsMap: Bool) {
        self.path = path
        self.params = params
        self.wantsMap = wantsMap
    }
}

/// A vals backend (`echo`, `file`, `sops`, `awsssm`, …). Errors name paths and parameters, never values.
///
/// Remote backends implement `resolveBatch` to fetch many values in one round trip (SSM `GetParameters`, …);
/// the resolver collects every reference of a document first and calls it once per provider.
public protocol RefProvider: Sendable {
    /// Whether lookups are local and need no credentials (`list` checks these without `--verify`).
    var isLocal: Bool { get }
    /// The value at `path` as a string (reference without fragment).
    func getString(_ path: String, params: RefParams) throws(CloakError) -> String
    /// The document at `path` as a mapping node, for fragment lookups.
    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node
    /// Several lookups at once, results in request order: a string node for `getString`, a mapping for `getMap`.
    func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>]
}

extension RefProvider {
    /// Default: one call per request.
    public func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>] {
        requests.map { (r) -> Result<Node, CloakError> in
            do throws(CloakError) {
                if r.wantsMap { return .success(try getMap(r.path, params: r.params)) }
                return .success(.string(try getString(r.path, params: r.params)))
            } catch {
                return .failure(error)
            }
        }
    }
}

/// Backends by scheme. Built by the composition root, which knows the store clients; Resolve registers only
/// what needs no credentials.
public struct RefRegistry: Sendable {
    private var providers: [String: LazyRefProvider] = [:]
    private var unavailable: [String: String] = [:]

    /// An empty registry.
    public init() {}

    /// Registers `provider` for `scheme` (replacing an earlier one).
    public mutating func register(_ scheme: String, _ provider: any RefProvider) {
        providers[scheme] = LazyRefProvider(provider)
        unavailable[scheme] = nil
    }

    /// Registers a provider that `make` builds when `scheme` is first used: most runs resolve no reference, and
    /// the remote providers set up clients and credential chains.
    public mutating func register(_ scheme: String, lazily make: @escaping @Sendable () -> any RefProvider) {
        providers[scheme] = LazyRefProvider(make)
        unavailable[scheme] = nil
    }

    /// Marks `scheme` as known but not reachable by this build; references to it fail with `reason`.
    public mutating func markUnavailable(_ scheme: String, reason: String? = nil) {
        unavailable[scheme] = reason ?? "backend \(scheme) is not available in this build yet"
    }

    /// The backends that can be used, sorted.
    public var schemes: [String] { providers.keys.sorted() }

    /// The provider for `scheme`; unknown and unavailable backends are errors that name them.
    public func provider(for scheme: String) throws(CloakError) -> any RefProvider {
        if let p = providers[scheme] { return p.provider }
        if let reason = unavailable[scheme] { throw CloakError(.config, reason) }
        throw CloakError(
            .config, "unknown reference backend \"\(scheme)\" (supported: \(schemes.joined(separator: ", ")))\(Suggestion.hint(for: scheme, in: schemes))")
    }

    /// echo, file and envsubst (sops needs a decryptor, remote backends need clients: the composition root adds them).
    public static func local(environment: Environment = .process) -> RefRegistry {
        var r = RefRegistry()
        r.register("echo", EchoRefProvider())
        r.register("file", FileRefProvider())
        r.register("envsubst", EnvsubstRefProvider(environment: environment))
        return r
    }
}

/// A provider built once, on first use; copies of a registry share it.
final class LazyRefProvider: Sendable {
    private let make: @Sendable () -> any RefProvider
    private let built: Mutex<(any RefProvider)?>

    init(_ provider: any RefProvider) {
        make = { provider }
        built = Mutex(provider)
    }

    init(_ make: @escaping @Sendable () -> any RefProvider) {
        self.make = make
        built = Mutex(nil)
    }

    var provider: any RefProvider {
        built.withLock { (p: inout (any RefProvider)?) -> any RefProvider in
            if let p { return p }
            let made = make()
            p = made
            return made
        }
    }
}
