import Core
import Synchronization

/// The options of an `aws/ssm` or `aws/asm` store (atmos.yaml `stores.<name>.options`), as plain values.
public struct AWSStoreOptions: Sendable {
    /// The store's name (for messages and the `store:<name>` label).
    public var name: String
    /// `region` (SSM requires it; otherwise `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's).
    public var region: String?
    /// `prefix`: the first name segment (may be empty).
    public var prefix: String
    /// `stack_delimiter` (default `-`).
    public var stackDelimiter: String
    /// `endpoint`/`endpoint_url`.
    public var endpoint: String?
    /// `key_id`: the KMS key for SecureString parameters and new secrets.
    public var keyId: String?
    /// `read_role_arn`: a role assumed for reads.
    public var readRoleArn: String?
    /// `write_role_arn`: a role assumed for writes.
    public var writeRoleArn: String?
    /// `profile`: a shared-config profile to take credentials from.
    public var profile: String?
    /// Roles assumed in order on top of the base credentials (from an atmos.yaml `auth.identities` chain).
    public var identityRoles: [String] = []
    /// `ca_bundle`: a PEM bundle to trust instead of the system CAs.
    public var caBundle: String?
    /// `timeout`: seconds per attempt (default 30).
    public var timeout: Double?
    /// `max_attempts`: attempts per request (default `AWS_MAX_ATTEMPTS` or 3).
    public var maxAttempts: Int?

    /// Creates options with Atmos's defaults.
    public init(
        name: String, region: String? = nil, prefix: String = "", stackDelimiter: String = "-", endpoint: String? = nil,
        keyId: String? = nil, readRoleArn: String? = nil, writeRoleArn: String? = nil, profile: String? = nil,
        caBundle: String? = nil, timeout: Double? = nil, maxAttempts: Int? = nil
    ) {
        self.name = name
        self.region = region
        self.prefix = prefix
        self.stackDelimiter = stackDelimiter
        self.endpoint = endpoint
        self.keyId = keyId
        self.readRoleArn = readRoleArn
        self.writeRoleArn = writeRoleArn
        self.profile = profile
        self.caBundle = caBundle
        self.timeout = timeout
        self.maxAttempts = maxAttempts
    }
}

/// The read and write clients of one store.
struct AWSStoreClients: Sendable {
    let read: AWSJSONClient
    let write: AWSJSONClient
    let region: String

    init(
        options: AWSStoreOptions, context: AWSContext, service: String, targetPrefix: String, serviceEnv: String,
        regionRequired: Bool
    ) throws(CloakError) {
        let env = context.environment
        let region: String
        if let r = options.region, !r.isEmpty {
            region = r
        } else if !regionRequired, let r = AWSRegion.resolve(option: nil, profile: options.profile, environment: env) {
            region = r
        } else {
            throw CloakError(.config, "store \"\(options.name)\": options.region is required")
        }
        let endpoint = AWSEndpoints.resolve(
            explicit: options.endpoint, serviceEnv: serviceEnv, hostPrefix: service, region: region, environment: env)
        var http = context.http
        if options.caBundle != nil {
            http = HTTPClient(
                transport: CurlTransport.shared(CurlTransport.Options(caBundle: options.caBundle)), policy: http.policy,
                clock: http.clock)
        }
        if let attempts = options.maxAttempts {
            var policy = http.policy
            policy.maxAttempts = max(1, attempts)
            http = http.with(policy: policy)
        }
        let timeouts = HTTPTimeouts(connect: min(options.timeout ?? 5, 5), total: options.timeout ?? 30)
        var base: any AWSCredentialProvider = DefaultCredentialChain(context: context, profile: options.profile, region: region)
        for role in options.identityRoles {
            base = AssumeRoleProvider(base: base, roleArn: role, region: region, context: context)
        }
        func provider(_ role: String?) -> any AWSCredentialProvider {
            guard let role, !role.isEmpty else { return base }
            return AssumeRoleProvider(base: base, roleArn: role, region: region, context: context)
        }
        self.region = region
        read = AWSJSONClient(
            service: service, targetPrefix: targetPrefix, endpoint: endpoint, region: region,
            credentials: provider(options.readRoleArn), http: http, timeouts: timeouts)
        write = AWSJSONClient(
            service: service, targetPrefix: targetPrefix, endpoint: endpoint, region: region,
            credentials: provider(options.writeRoleArn), http: http, timeouts: timeouts)
    }
}

/// Runs batches concurrently on dedicated threads and gathers per-name results.
enum BatchRunner {
    /// Calls `fetch` for each chunk of `names` (at most `size` per chunk, `width` chunks at once) and returns the
    /// merged per-name results. A chunk that throws fails all its names with that error.
    static func run(
        names: [String], size: Int, width: Int,
        fetch: @escaping @Sendable ([String]) throws(CloakError) -> [String: Result<SecretValue, CloakError>]
    ) -> [String: Result<SecretValue, CloakError>] {
        var chunks: [[String]] = []
        var i = 0
        while i < names.count {
            chunks.append(Array(names[i..<min(i + size, names.count)]))
            i += size
        }
        let results = ResultBox()
        let frozen = chunks
        BlockingThreads.forEach(count: frozen.count, width: width) { k in
            let chunk = frozen[k]
            var got: [String: Result<SecretValue, CloakError>]
            do throws(CloakError) {
                got = try fetch(chunk)
            } catch {
                got = [:]
                for n in chunk { got[n] = .failure(error) }
            }
            results.merge(got)
        }
        return results.take()
    }

    private final class ResultBox: @unchecked Sendable {
        private var map: [String: Result<SecretValue, CloakError>] = [:]
        private let lock = Mutex<Void>(())
        func merge(_ other: [String: Result<SecretValue, CloakError>]) {
            lock.withLock { _ in map.merge(other) { _, new in new } }
        }
        func take() -> [String: Result<SecretValue, CloakError>] { lock.withLock { _ in map } }
    }
}

/// A random version-4 UUID (Secrets Manager `ClientRequestToken`).
func randomUUID() -> String {
    var g = SystemRandomNumberGenerator()
    var b = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    let hex = SHA256Hash.hex(b)
    let c = Array(hex)
    return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
        + String(c[20..<32])
}
