public import Core

/// A response: status, headers (names lower-cased) and a body kept in guarded memory until the response is freed.
public final class HTTPResponse: @unchecked Sendable {
    /// HTTP status code.
    public let status: Int
    /// Header values by lower-cased name (the last one wins).
    public let headers: [String: String]
    /// The body, wiped when the response is freed.
    public let body: SecureBuffer
    /// How many attempts it took (set by the client).
    public internal(set) var attempts: Int = 1

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: SecureBuffer = SecureBuffer(capacity: 64)) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Convenience for tests and fakes: a plain-text body.
    public convenience init(status: Int, headers: [String: String] = [:], text: String) {
        let b = SecureBuffer(capacity: text.utf8.count + 1)
        b.append(text)
        self.init(status: status, headers: headers, body: b)
    }

    /// The header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
