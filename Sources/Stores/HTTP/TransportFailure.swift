/// Why a request got no HTTP response. Messages are fixed phrases: no header, body or URL query ever appears.
public enum TransportFailure: Error, Sendable, Equatable {
    /// The attempt exceeded its time limit.
    case timeout
    /// No connection could be made (refused, unreachable, DNS failure).
    case connect
    /// The connection broke mid-exchange (reset, empty reply, truncated body).
    case reset
    /// The body passed the response-size limit.
    case tooLarge(limit: Int)
    /// TLS setup or certificate verification failed.
    case tls
    /// Anything else libcurl reported, by its code.
    case other(code: Int)
    /// libcurl itself could not be loaded; the message says what to install.
    case unavailable(String)

    /// Whether another attempt may succeed.
    public var isRetryable: Bool {
        switch self {
        case .timeout, .connect, .reset: true
        case .tooLarge, .tls, .other, .unavailable: false
        }
    }

    /// A short phrase for error messages.
    public var phrase: String {
        switch self {
        case .timeout: "request timed out"
        case .connect: "could not connect"
        case .reset: "connection was reset"
        case .tooLarge(let limit): "response is larger than \(limit / (1024 * 1024)) MB"
        case .tls: "TLS handshake or certificate verification failed"
        case .other(let code): "transfer failed (libcurl error \(code))"
        case .unavailable(let why): why
        }
    }
}

/// Sends one request: the libcurl transport, or a fake in tests.
public protocol HTTPTransport: Sendable {
    /// Performs one attempt (no retries) and blocks until it ends.
    func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure>
}
