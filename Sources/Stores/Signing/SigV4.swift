public import Core

/// AWS Signature Version 4 (header form): canonical request, string to sign, signing-key derivation and the
/// `Authorization` header. Pure functions of their inputs, so the published test-suite vectors check them.
public enum SigV4 {
    /// What is signed.
    public struct Input: Sendable {
        /// HTTP method.
        public var method: String
        /// The path, not yet percent-encoded (`/` for the JSON and Query protocols).
        public var path: String
        /// The raw query string without `?` (may be percent-encoded already).
        public var query: String
        /// Headers to sign, in request order (must include `host` and `x-amz-date`).
        public var headers: [(name: String, value: String)]
        /// Lower-case hex SHA-256 of the body.
        public var payloadHash: String

        /// Creates an input.
        public init(method: String, path: String, query: String, headers: [(name: String, value: String)], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The hex SHA-256 of an empty body.
    public static let emptyPayloadHash = SHA256Hash.hex(SHA256Hash.digest([UInt8]()))

    /// The canonical request and the `SignedHeaders` list.
    public static func canonicalRequest(_ input: Input) -> (text: String, signedHeaders: String) {
        var merged: [String: [String]] = [:]
        for h in input.headers { merged[h.name.lowercased(), default: []].append(trimValue(h.value)) }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let text = [
            input.method.uppercased(), canonicalURI(input.path), canonicalQuery(input.query), canonicalHeaders, signed,
            input.payloadHash,
        ].joined(separator: "\n")
        return (text, signed)
    }

    /// `AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256 of the canonical request>`.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SHA256Hash.hex(SHA256Hash.digest(Array(canonicalRequest.utf8))))"
    }

    /// `<yyyymmdd>/<region>/<service>/aws4_request`.
    public static func scope(amzDate: String, region: String, service: String) -> String {
        "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    public static func signingKey(secret: SecretBytes, date: String, region: String, service: String) -> SecretBytes {
        let kSecret = SecretBytes(count: secret.count + 4) { buf in
            let prefix: StaticString = "AWS4"
            buf.copyMemory(from: UnsafeRawBufferPointer(start: prefix.utf8Start, count: 4))
            secret.withUnsafeBytes { s in
                if let base = s.baseAddress { (buf.baseAddress! + 4).copyMemory(from: base, byteCount: s.count) }
            }
        }
        let kDate = HMACSHA256.secretMAC(key: kSecret, message: Array(date.utf8))
        let kRegion = HMACSHA256.secretMAC(key: kDate, message: Array(region.utf8))
        let kService = HMACSHA256.secretMAC(key: kRegion, message: Array(service.utf8))
        return HMACSHA256.secretMAC(key: kService, message: Array("aws4_request".utf8))
    }

    /// The full `Authorization` header value.
    public static func authorization(
        _ input: Input, accessKeyId: String, secret: SecretBytes, amzDate: String, region: String, service: String
    ) -> String {
        let (creq, signed) = canonicalRequest(input)
        let scope = scope(amzDate: amzDate, region: region, service: service)
        let sts = stringToSign(canonicalRequest: creq, amzDate: amzDate, scope: scope)
        let key = signingKey(secret: secret, date: String(amzDate.prefix(8)), region: region, service: service)
        let signature = key.withUnsafeBytes { k in
            Array(sts.utf8).withUnsafeBytes { m in SHA256Hash.hex(HMACSHA256.mac(key: k, message: m)) }
        }
        return "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), SignedHeaders=\(signed), Signature=\(signature)"
    }

    /// Trims a header value and collapses runs of spaces (SigV4 canonical header values).
    static func trimValue(_ value: String) -> String {
        var out = ""
        var lastSpace = false
        for c in value.trimmingCharacters() {
            if c == " " || c == "\t" {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                out.append(c)
                lastSpace = false
            }
        }
        return out
    }

    /// Each path segment percent-encoded once; an empty path is `/`.
    static func canonicalURI(_ path: String) -> String {
        if path.isEmpty { return "/" }
        return URIEncoding.encode(URIEncoding.decode(path), keepSlash: true)
    }

    /// Pairs decoded, re-encoded, sorted by name then value, joined with `&` (a bare key gets `=`).
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = URIEncoding.encode(URIEncoding.decode(String(kv[0])))
            let v = kv.count > 1 ? URIEncoding.encode(URIEncoding.decode(String(kv[1]))) : ""
            pairs.append((k, v))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}

/// Signs an `HTTPRequest` in place for one service and region.
public struct SigV4Signer: Sendable {
    /// The signing name (`ssm`, `secretsmanager`, `kms`, `sts`).
    public var service: String
    /// The region.
    public var region: String

    /// Creates a signer.
    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// Adds `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials have one) and `Authorization`.
    public func sign(_ request: inout HTTPRequest, credentials: AWSCredentials, now: Int = AmzDate.now()) {
        let amzDate = AmzDate.basic(now)
        let url = EndpointURL(request.url)
        request.headers.removeAll { ["host", "x-amz-date", "x-amz-security-token", "authorization"].contains($0.name.lowercased()) }
        request.headers.append((name: "Host", value: url?.hostHeader ?? ""))
        request.headers.append((name: "X-Amz-Date", value: amzDate))
        if let token = credentials.sessionToken {
            request.headers.append((name: "X-Amz-Security-Token", value: token.unsafeString()))
        }
        let payloadHash = request.body.map { b in b.withUnsafeBytes { SHA256Hash.hex(SHA256Hash.digest($0)) } }
            ?? SigV4.emptyPayloadHash
        let input = SigV4.Input(
            method: request.method, path: url?.path ?? "/", query: url?.query ?? "", headers: request.headers,
            payloadHash: payloadHash)
        let auth = SigV4.authorization(
            input, accessKeyId: credentials.accessKeyId, secret: credentials.secretAccessKey, amzDate: amzDate,
            region: region, service: service)
        request.headers.append((name: "Authorization", value: auth))
    }
}
