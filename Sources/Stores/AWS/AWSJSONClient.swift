public import Core

/// One AWS JSON-1.1 service (SSM, Secrets Manager, KMS): `POST /` with `X-Amz-Target: <prefix>.<Operation>`,
/// signed with SigV4, retried on throttling, 5xx and transient network failures.
public struct AWSJSONClient: Sendable {
    /// The outcome of a call that got an HTTP response.
    public enum Outcome: Sendable {
        /// 2xx: the response (its body holds the result).
        case ok(HTTPResponse)
        /// A service error: its code (or `HTTP <status>`), status and the attempts made.
        case failed(code: String, status: Int, attempts: Int)
    }

    /// Short service name for messages and the SigV4 signing name (`ssm`, `secretsmanager`, `kms`).
    public let service: String
    /// The `X-Amz-Target` prefix (`AmazonSSM`, `secretsmanager`, `TrentService`).
    public let targetPrefix: String
    /// Endpoint URL.
    public let endpoint: String
    /// Region (signing scope).
    public let region: String
    /// Credentials for signing.
    public let credentials: any AWSCredentialProvider
    /// HTTP with retries.
    public let http: HTTPClient
    /// Per-attempt time limits.
    public let timeouts: HTTPTimeouts

    /// Creates a client.
    public init(
        service: String, targetPrefix: String, endpoint: String, region: String,
        credentials: any AWSCredentialProvider, http: HTTPClient, timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.service = service
        self.targetPrefix = targetPrefix
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.http = http
        self.timeouts = timeouts
    }

    /// Calls `operation` with a JSON `body`. Transport failures (after retries) and credential problems throw;
    /// service errors come back as `.failed` so callers can map codes such as `ParameterNotFound`.
    public func call(_ operation: String, body: SecretBytes) throws(CloakError) -> Outcome {
        let what = "\(service) \(operation)"
        let creds = try credentials.credentials()
        let signer = SigV4Signer(service: service, region: region)
        let url = endpoint + "/"
        let target = "\(targetPrefix).\(operation)"
        let timeouts = self.timeouts
        let response = try http.send(
            what,
            build: { (_: Int) throws(CloakError) -> HTTPRequest in
                var request = HTTPRequest(
                    method: "POST", url: url,
                    headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)],
                    body: body, timeouts: timeouts)
                signer.sign(&request, credentials: creds)
                return request
            },
            retryable: AWSErrorCode.isRetryable)
        if response.isSuccess { return .ok(response) }
        let code = AWSErrorCode.of(response) ?? "HTTP \(response.status)"
        response.body.reset()
        return .failed(code: code, status: response.status, attempts: response.attempts)
    }

    /// Parses a 2xx body; malformed JSON becomes a one-line error naming the operation and byte offset.
    public static func parse(_ response: HTTPResponse, _ what: String) throws(CloakError) -> JSONDocument {
        do {
            let span = try response.body.withUnsafeBytes { (buf) throws(JSONScanner.Malformed) -> JSONSpan in
                try JSONScanner.parse(buf)
            }
            return JSONDocument(response: response, root: span)
        } catch {
            throw CloakError(.backend, "\(what): the response is not valid JSON (at byte \(error.offset) of \(response.body.count))")
        }
    }

    /// The error for a service failure, e.g. `ssm GetParameter: AccessDeniedException (HTTP 400)`.
    public static func failure(_ what: String, code: String, status: Int, attempts: Int) -> CloakError {
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        let kind: CloakError.Code = status == 404 ? .notFound : .backend
        return CloakError(kind, "\(what): \(code) (HTTP \(status))\(tries)")
    }
}

/// A parsed response body: offsets into the response's guarded buffer, which it keeps alive.
public struct JSONDocument: @unchecked Sendable {
    let response: HTTPResponse
    let root: JSONSpan

    /// Runs `body` with the raw buffer and the root span.
    func with<R>(_ body: (UnsafeRawBufferPointer, JSONSpan) -> R) -> R {
        response.body.withUnsafeBytes { body($0, root) }
    }
}
