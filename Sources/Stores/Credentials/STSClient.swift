public import Core

/// AWS STS over the Query protocol (form-encoded `POST /`, XML replies) at the regional endpoint (or
/// `AWS_ENDPOINT_URL_STS`/`AWS_ENDPOINT_URL`): `AssumeRole` (signed) and `AssumeRoleWithWebIdentity` (unsigned).
public struct STSClient: Sendable {
    /// Endpoint URL.
    public let endpoint: String
    /// Region for signing.
    public let region: String
    /// HTTP with retries.
    public let http: HTTPClient

    /// Creates a client for `region`.
    public init(region: String, environment: Environment, http: HTTPClient) {
        self.region = region
        self.endpoint = AWSEndpoints.resolve(
            explicit: nil, serviceEnv: "STS", hostPrefix: "sts", region: region, environment: environment)
        self.http = http
    }

    /// `AssumeRole` with `base` credentials.
    public func assumeRole(
        roleArn: String, sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil,
        base: AWSCredentials
    ) throws(CloakError) -> AWSCredentials {
        var form: [(String, String)] = [
            ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", sessionName),
        ]
        if let externalId { form.append(("ExternalId", externalId)) }
        if let durationSeconds { form.append(("DurationSeconds", String(durationSeconds))) }
        let body = SecretBytes.text(URIEncoding.form(form))
        let signer = SigV4Signer(service: "sts", region: region)
        return try exchange("sts AssumeRole \(roleArn)", body: body, source: "assumed role \(roleArn)") { request in
            signer.sign(&request, credentials: base)
        }
    }

    /// `AssumeRoleWithWebIdentity` with an OIDC token (the request is not signed).
    public func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: SecretBytes) throws(CloakError)
        -> AWSCredentials
    {
        let out = SecureBuffer(capacity: token.count + 256)
        out.append(URIEncoding.form([
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
            ("RoleSessionName", sessionName),
        ]))
        out.append("&WebIdentityToken=")
        token.withUnsafeBytes { buf in
            let hex = Array("0123456789ABCDEF".utf8)
            for b in buf {
                let unreserved = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                    || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x7E
                if unreserved { out.append(byte: b) } else { out.append([0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]) }
            }
        }
        let body = out.secret()
        out.reset()
        return try exchange(
            "sts AssumeRoleWithWebIdentity \(roleArn)", body: body, source: "web identity role \(roleArn)"
        ) { _ in }
    }

    private func exchange(
        _ what: String, body: SecretBytes, source: String, sign: (inout HTTPRequest) -> Void
    ) throws(CloakError) -> AWSCredentials {
        let url = endpoint + "/"
        let response = try http.send(
            what,
            build: { (_: Int) throws(CloakError) -> HTTPRequest in
                var request = HTTPRequest(
                    method: "POST", url: url,
                    headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: body,
                    timeouts: HTTPTimeouts(connect: 5, total: 20))
                sign(&request)
                return request
            },
            retryable: AWSErrorCode.isRetryable)
        guard response.isSuccess else {
            let code = AWSErrorCode.of(response) ?? "HTTP \(response.status)"
            throw AWSJSONClient.failure(what, code: code, status: response.status, attempts: response.attempts)
        }
        return try response.body.withUnsafeBytes { (buf) throws(CloakError) -> AWSCredentials in
            guard let idR = XMLScanner.element("AccessKeyId", in: buf), let id = XMLScanner.plainText(buf, idR),
                let secretR = XMLScanner.element("SecretAccessKey", in: buf),
                let tokenR = XMLScanner.element("SessionToken", in: buf)
            else { throw CloakError(.backend, "\(what): the response has no credentials") }
            let expiration = XMLScanner.element("Expiration", in: buf).flatMap { XMLScanner.plainText(buf, $0) }
                .flatMap(AmzDate.parse)
            return AWSCredentials(
                accessKeyId: id, secretAccessKey: XMLScanner.secretText(buf, secretR),
                sessionToken: XMLScanner.secretText(buf, tokenR), expiration: expiration, source: source)
        }
    }
}
