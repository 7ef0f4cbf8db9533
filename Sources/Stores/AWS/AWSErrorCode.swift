import Core

/// Reads the AWS error code of a failed response without ever keeping its message (messages may echo input).
enum AWSErrorCode {
    /// `x-amzn-errortype`, else JSON `__type`/`code`/`Code`, else XML `<Code>`; namespaces and suffixes dropped.
    static func of(_ response: HTTPResponse) -> String? {
        if let h = response.header("x-amzn-errortype"), !h.isEmpty { return clean(h) }
        return response.body.withUnsafeBytes { (buf) -> String? in
            if let span = try? JSONScanner.parse(buf) {
                for name in ["__type", "code", "Code"] {
                    if let r = span.member(name, in: buf)?.stringRange, let s = JSONScanner.plainString(buf, r) {
                        return clean(s)
                    }
                }
                return nil
            }
            if let r = XMLScanner.element("Code", in: buf) {
                return XMLScanner.plainText(buf, r).map(clean)
            }
            return nil
        }
    }

    /// `aws.protocoltests#ThrottlingException:http://…` → `ThrottlingException`; only `[A-Za-z0-9._-]` kept.
    static func clean(_ raw: String) -> String {
        var s = Substring(raw)
        if let colon = s.firstIndex(of: ":") { s = s[..<colon] }
        if let hash = s.lastIndex(of: "#") { s = s[s.index(after: hash)...] }
        let kept = s.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
        return String(kept.prefix(100))
    }

    /// Codes the AWS SDKs' standard retry mode treats as throttling.
    static let throttling: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Codes for transient server-side failures.
    static let transient: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalServerError",
        "InternalServiceError", "InternalServiceErrorException", "ServiceUnavailable", "ServiceUnavailableException",
    ]

    /// Whether a response should be retried: 429, 5xx (not 501), or a throttling/transient code.
    static func isRetryable(_ response: HTTPResponse) -> Bool {
        if response.isSuccess { return false }
        if HTTPClient.defaultRetryable(response) { return true }
        guard response.status >= 400, let code = of(response) else { return false }
        return throttling.contains(code) || transient.contains(code)
    }
}
