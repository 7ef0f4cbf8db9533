import Core

/// EC2 instance-role credentials over IMDSv2: `PUT /latest/api/token`, then the role name and its credentials.
/// Short timeouts and a single attempt, so off EC2 it fails within about a second. Disabled by
/// `AWS_EC2_METADATA_DISABLED=true`; `AWS_EC2_METADATA_SERVICE_ENDPOINT` overrides the address.
enum InstanceMetadataCredentials {
    static func isDisabled(_ environment: Environment) -> Bool {
        environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
    }

    static func fetch(environment: Environment, http: HTTPClient) throws(CloakError) -> AWSCredentials? {
        if isDisabled(environment) { return nil }
        var base = environment.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        let quick = HTTPTimeouts(connect: 1, total: 2)
        let once = http.with(policy: .none)
        let tokenURL = base + "/latest/api/token"
        let tokenResponse: HTTPResponse
        do {
            tokenResponse = try once.send(
                "instance metadata",
                build: { (_: Int) throws(CloakError) -> HTTPRequest in
                    HTTPRequest(
                        method: "PUT", url: tokenURL, headers: [("X-aws-ec2-metadata-token-ttl-seconds", "300")],
                        timeouts: quick)
                })
        } catch {
            return nil  // not on EC2 (or IMDS unreachable): the chain moves on
        }
        guard tokenResponse.isSuccess else { return nil }
        let token = tokenResponse.body.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.trimmingCharacters()
        let headers: [(name: String, value: String)] = [("X-aws-ec2-metadata-token", token)]
        let listURL = base + "/latest/meta-data/iam/security-credentials/"
        let list = try once.send(
            "instance metadata",
            build: { (_: Int) throws(CloakError) -> HTTPRequest in
                HTTPRequest(method: "GET", url: listURL, headers: headers, timeouts: quick)
            })
        guard list.isSuccess else { return nil }
        let role = list.body.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            .split(whereSeparator: { $0 == "\n" }).first.map { String($0).trimmingCharacters() } ?? ""
        guard !role.isEmpty else { return nil }
        let credsURL = listURL + URIEncoding.encode(role)
        let creds = try once.send(
            "instance metadata",
            build: { (_: Int) throws(CloakError) -> HTTPRequest in
                HTTPRequest(method: "GET", url: credsURL, headers: headers, timeouts: quick)
            })
        guard creds.isSuccess else {
            throw CloakError(.backend, "instance metadata credentials answered HTTP \(creds.status)")
        }
        return try creds.body.withUnsafeBytes { (buf) throws(CloakError) -> AWSCredentials in
            try CredentialsJSON.parse(buf, source: "instance role \(role)")
        }
    }
}
