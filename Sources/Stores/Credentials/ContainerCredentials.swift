import Core

/// ECS/EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (loopback, the ECS/EKS link-local hosts, or https), with
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` or `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
enum ContainerCredentials {
    /// The endpoint, or nil when the variables are not set.
    static func endpoint(_ environment: Environment) -> String? {
        if let rel = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return "http://169.254.170.2" + (rel.hasPrefix("/") ? rel : "/" + rel)
        }
        return environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    }

    static func fetch(environment: Environment, http: HTTPClient) throws(CloakError) -> AWSCredentials? {
        guard let url = endpoint(environment) else { return nil }
        guard let parsed = EndpointURL(url) else {
            throw CloakError(.config, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL")
        }
        let allowedHosts = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
        guard parsed.scheme == "https" || parsed.isLoopback || allowedHosts.contains(parsed.host) else {
            throw CloakError(
                .config, "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https or a loopback or ECS/EKS host (\(parsed.host))")
        }
        var headers: [(name: String, value: String)] = []
        if let token = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            headers.append(("Authorization", token))
        } else if let file = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let bytes = try? FileSystem.readBytes(file) else {
                throw CloakError(.io, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \"\(file)\"")
            }
            headers.append(("Authorization", String(decoding: bytes, as: UTF8.self).trimmingCharacters()))
        }
        let requestHeaders = headers
        let response = try http.send(
            "container credentials",
            build: { (_: Int) throws(CloakError) -> HTTPRequest in
                HTTPRequest(method: "GET", url: url, headers: requestHeaders, timeouts: HTTPTimeouts(connect: 2, total: 5))
            })
        guard response.isSuccess else {
            throw CloakError(.backend, "container credentials endpoint answered HTTP \(response.status)")
        }
        return try response.body.withUnsafeBytes { (buf) throws(CloakError) -> AWSCredentials in
            try CredentialsJSON.parse(buf, source: "container credentials")
        }
    }
}
