public import Core

/// What the REST stores (Vault, Azure, GCP, 1Password Connect) need from the outside world: the environment, a
/// way to make HTTP clients (the libcurl transport, or a fake in tests), the retry clock and the time.
public struct RESTContext: Sendable {
    /// Environment variables.
    public let environment: Environment
    /// A transport to use instead of libcurl (tests).
    public let transport: (any HTTPTransport)?
    /// Sleep and randomness for retries.
    public let clock: any RetryClock
    /// Seconds since the epoch.
    public let now: @Sendable () -> Int

    /// Creates a context.
    public init(
        environment: Environment = .process, transport: (any HTTPTransport)? = nil,
        clock: any RetryClock = SystemRetryClock(), now: @escaping @Sendable () -> Int = AmzDate.now
    ) {
        self.environment = environment
        self.transport = transport
        self.clock = clock
        self.now = now
    }

    /// An HTTP client: the injected transport, else the shared libcurl transport for these TLS settings.
    public func client(caBundle: String? = nil, skipVerify: Bool = false, maxAttempts: Int? = nil) -> HTTPClient {
        let t: any HTTPTransport =
            transport ?? CurlTransport.shared(CurlTransport.Options(caBundle: caBundle, skipVerify: skipVerify))
        let attempts = maxAttempts ?? environment.nonEmpty("CLOAK_MAX_ATTEMPTS").flatMap { Int($0) } ?? 3
        return HTTPClient(transport: t, policy: RetryPolicy(maxAttempts: attempts), clock: clock)
    }

    /// Per-attempt limits from a `timeout` option (default 5 s to connect, 30 s per attempt).
    public static func timeouts(_ timeout: Double?) -> HTTPTimeouts {
        HTTPTimeouts(connect: min(timeout ?? 5, 5), total: timeout ?? 30)
    }
}
