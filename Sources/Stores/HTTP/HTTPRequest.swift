public import Core

/// One HTTP request as the transport sends it. The body lives in guarded memory because it may carry a secret.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, …
    public var method: String
    /// Absolute `http://` or `https://` URL.
    public var url: String
    /// Header lines in order (names as given).
    public var headers: [(name: String, value: String)]
    /// The body, if any.
    public var body: SecretBytes?
    /// Time limits for one attempt.
    public var timeouts: HTTPTimeouts

    /// Creates a request.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: SecretBytes? = nil,
        timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }

    /// The first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// Time limits for one attempt.
public struct HTTPTimeouts: Sendable, Equatable {
    /// Seconds to establish the connection (TCP and TLS).
    public var connect: Double
    /// Seconds for the whole attempt, including the response body.
    public var total: Double

    /// Creates limits (defaults suit cloud APIs: 5 s to connect, 30 s per attempt).
    public init(connect: Double = 5, total: Double = 30) {
        self.connect = connect
        self.total = total
    }
}
