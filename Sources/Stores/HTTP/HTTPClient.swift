public import Core

/// Sends requests with retries: transport failures that may be transient (timeouts, refused or reset
/// connections) and responses the caller's classifier calls retryable are tried again per the `RetryPolicy`.
/// The request is rebuilt for every attempt so signatures and dates stay fresh.
public struct HTTPClient: Sendable {
    /// The transport.
    public let transport: any HTTPTransport
    /// Retry limits and backoff.
    public let policy: RetryPolicy
    /// Sleep and randomness.
    public let clock: any RetryClock

    /// Creates a client.
    public init(transport: any HTTPTransport, policy: RetryPolicy = RetryPolicy(), clock: any RetryClock = SystemRetryClock()) {
        self.transport = transport
        self.policy = policy
        self.clock = clock
    }

    /// The same client with another policy.
    public func with(policy: RetryPolicy) -> HTTPClient { HTTPClient(transport: transport, policy: policy, clock: clock) }

    /// Generic retry rule: 429 and 5xx other than 501.
    public static func defaultRetryable(_ response: HTTPResponse) -> Bool {
        response.status == 429 || (response.status >= 500 && response.status != 501)
    }

    /// Sends `build(attempt)` until it gets a non-retryable response or attempts run out; then returns the last
    /// response (whatever its status). A transport failure after the last attempt throws a `.backend` error
    /// that starts with `what` (e.g. `ssm GetParameters`) and says how many attempts were made.
    public func send(
        _ what: String,
        build: (Int) throws(CloakError) -> HTTPRequest,
        retryable: (HTTPResponse) -> Bool = HTTPClient.defaultRetryable
    ) throws(CloakError) -> HTTPResponse {
        var attempt = 0
        while true {
            let request = try build(attempt)
            let result = transport.perform(request)
            attempt += 1
            let last = attempt >= policy.maxAttempts
            switch result {
            case .success(let response):
                response.attempts = attempt
                if last || !retryable(response) { return response }
                let wait = policy.delay(
                    retry: attempt - 1, retryAfter: RetryPolicy.retryAfterSeconds(response.header("retry-after")),
                    unit: clock.unit())
                response.body.reset()
                clock.sleep(seconds: wait)
            case .failure(let failure):
                if last || !failure.isRetryable {
                    let tries = attempt == 1 ? "" : " after \(attempt) attempts"
                    throw CloakError(.backend, "\(what): \(failure.phrase)\(tries) (\(HTTPClient.origin(request.url)))")
                }
                clock.sleep(seconds: policy.delay(retry: attempt - 1, retryAfter: nil, unit: clock.unit()))
            }
        }
    }

    /// `scheme://host[:port]` of a URL: safe to print (no path or query).
    public static func origin(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "?" }
        let rest: Substring = url[schemeEnd.upperBound...]
        let hostEnd: String.Index = rest.firstIndex(where: { (c: Character) -> Bool in c == "/" || c == "?" || c == "#" }) ?? rest.endIndex
        var authority: Substring = rest[..<hostEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let scheme = String(url[..<schemeEnd.upperBound])
        return scheme + String(authority)
    }
}
