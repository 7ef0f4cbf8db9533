public import Core
import Synchronization

/// What the AWS code needs from the outside world: the environment, the HTTP client and a clock. One context is
/// shared by every AWS store and the KMS key service of a run, so credentials are resolved once and cached.
public final class AWSContext: Sendable {
    /// Environment variables (injectable for tests).
    public let environment: Environment
    /// HTTP with the default retry policy, built on first use: most runs (SOPS with age keys, the keychain)
    /// create a context and never make a request.
    public var http: HTTPClient {
        if let injected { return injected }
        return built.withLock { (client: inout HTTPClient?) -> HTTPClient in
            if let client { return client }
            let made = HTTPClient(transport: CurlTransport.shared(), policy: RetryPolicy(maxAttempts: attempts))
            client = made
            return made
        }
    }
    /// Seconds since the epoch.
    public let now: @Sendable () -> Int
    private let cache = Mutex<[String: AWSCredentials]>([:])
    private let injected: HTTPClient?
    private let attempts: Int
    private let built = Mutex<HTTPClient?>(nil)

    /// Creates a context. `AWS_MAX_ATTEMPTS` sets the retry budget (default 3).
    public init(environment: Environment = .process, http: HTTPClient? = nil, now: @escaping @Sendable () -> Int = AmzDate.now) {
        self.environment = environment
        injected = http
        attempts = environment.nonEmpty("AWS_MAX_ATTEMPTS").flatMap { Int($0) } ?? 3
        self.now = now
    }

    /// The process-wide context over the live environment (built on first use).
    public static let shared = AWSContext()

    /// A cached value for `key` unless it expires within five minutes; else `resolve()`. Resolution runs outside
    /// the lock (providers nest: an assumed role resolves its base credentials through the same cache), so
    /// callers that fan out warm the cache first.
    func cached(_ key: String, _ resolve: () throws(CloakError) -> AWSCredentials) throws(CloakError) -> AWSCredentials {
        let now = self.now()
        if let hit = cache.withLock({ $0[key] }), !hit.expires(within: 300, now: now) { return hit }
        let fresh = try resolve()
        cache.withLock { $0[key] = fresh }
        return fresh
    }
}
