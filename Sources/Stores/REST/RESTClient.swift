public import Core

/// One JSON-over-HTTP(S) service: sends with retries (429, 5xx and transient network failures) and turns
/// failures into one-line errors that name the operation and status, never a body, header or token.
public struct RESTClient: Sendable {
    /// HTTP with retries.
    public let http: HTTPClient
    /// Per-attempt limits.
    public let timeouts: HTTPTimeouts

    /// Creates a client.
    public init(http: HTTPClient, timeouts: HTTPTimeouts) {
        self.http = http
        self.timeouts = timeouts
    }

    /// Sends one request (rebuilt per attempt) and returns the final response, whatever its status. `what` starts
    /// every error message (e.g. `vault read "secret/data/app"`).
    public func send(
        _ method: String, _ url: String, headers: [(name: String, value: String)] = [], body: SecretBytes? = nil,
        what: String, retryable: @escaping (HTTPResponse) -> Bool = HTTPClient.defaultRetryable
    ) throws(CloakError) -> HTTPResponse {
        var all = headers
        if body != nil && !all.contains(where: { $0.name.lowercased() == "content-type" }) {
            all.append((name: "Content-Type", value: "application/json"))
        }
        all.append((name: "Accept", value: "application/json"))
        let t = timeouts
        let fixed = all
        return try http.send(
            what,
            build: { (_: Int) throws(CloakError) -> HTTPRequest in
                HTTPRequest(method: method, url: url, headers: fixed, body: body, timeouts: t)
            }, retryable: retryable)
    }

    /// Parses a 2xx body; malformed JSON is a one-line error with the byte offset only.
    public static func parse(_ response: HTTPResponse, _ what: String) throws(CloakError) -> JSONDocument {
        try AWSJSONClient.parse(response, what)
    }

    /// The error for an unexpected status (the body is wiped, never quoted).
    public static func failure(_ what: String, _ response: HTTPResponse) -> CloakError {
        response.body.reset()
        let tries = response.attempts > 1 ? " after \(response.attempts) attempts" : ""
        let code: CloakError.Code = response.status == 404 ? .notFound : .backend
        return CloakError(code, "\(what): \(phrase(response.status)) (HTTP \(response.status))\(tries)")
    }

    /// A short phrase for a status code.
    public static func phrase(_ status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "not authenticated"
        case 403: "permission denied"
        case 404: "not found"
        case 409: "conflict"
        case 412: "precondition failed"
        case 429: "throttled"
        case 500..<600: "server error"
        default: "unexpected response"
        }
    }
}
