import Glibc

/// Bounded retries with capped exponential backoff and full jitter: attempt `n` (0-based) waits a uniform random
/// time in `[0, min(maxDelay, baseDelay * 2^n)]`, or at least a server's `Retry-After` (capped).
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first one included.
    public var maxAttempts: Int
    /// Seconds: the backoff ceiling of the first retry.
    public var baseDelay: Double
    /// Seconds: the backoff ceiling never grows past this.
    public var maxDelay: Double
    /// Seconds: a larger `Retry-After` is cut to this.
    public var maxRetryAfter: Double

    /// Creates a policy (defaults: 3 attempts like the AWS SDKs' standard mode, 0.2 s base, 5 s cap).
    public init(maxAttempts: Int = 3, baseDelay: Double = 0.2, maxDelay: Double = 5, maxRetryAfter: Double = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// A policy that never retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait before retry number `retry` (0 for the first retry); `unit` is a uniform draw in [0, 1).
    public func delay(retry: Int, retryAfter: Double?, unit: Double) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(retry, 30)))
        let jittered = ceiling * min(max(unit, 0), 1)
        if let retryAfter, retryAfter > 0 { return max(jittered, min(retryAfter, maxRetryAfter)) }
        return jittered
    }

    /// Parses a `Retry-After` header given in seconds (HTTP dates are ignored).
    public static func retryAfterSeconds(_ header: String?) -> Double? {
        guard let h = header?.trimmingCharacters(), let v = Double(h), v >= 0 else { return nil }
        return v
    }
}

/// Time and randomness for retries, injectable so tests run without sleeping.
public protocol RetryClock: Sendable {
    /// Blocks for `seconds`.
    func sleep(seconds: Double)
    /// A uniform draw in [0, 1).
    func unit() -> Double
}

/// The real clock: `nanosleep` and the system random generator.
public struct SystemRetryClock: RetryClock {
    /// Creates the clock.
    public init() {}

    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1_000_000_000))
        var rem = timespec()
        while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
    }

    public func unit() -> Double { Double.random(in: 0..<1) }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
