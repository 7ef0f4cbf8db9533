public import Core

/// Where each AWS service is reached: an explicit option, then `AWS_ENDPOINT_URL_<SERVICE>`, then
/// `AWS_ENDPOINT_URL`, then the public regional endpoint.
public enum AWSEndpoints {
    /// The endpoint URL (no trailing slash).
    /// - Parameters:
    ///   - explicit: the store's `endpoint`/`endpoint_url` option.
    ///   - serviceEnv: the suffix of the service-specific variable (`SSM`, `SECRETS_MANAGER`, `KMS`, `STS`).
    ///   - hostPrefix: the service's host label (`ssm`, `secretsmanager`, `kms`, `sts`).
    public static func resolve(
        explicit: String?, serviceEnv: String, hostPrefix: String, region: String, environment: Environment
    ) -> String {
        let chosen = explicit.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment.nonEmpty("AWS_ENDPOINT_URL_\(serviceEnv)") ?? environment.nonEmpty("AWS_ENDPOINT_URL")
        if var url = chosen {
            if !url.contains("://") { url = "https://" + url }
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://\(hostPrefix).\(region).\(suffix)"
    }
}
