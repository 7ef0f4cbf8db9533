import Core
import Resolve
import Stores
import Synchronization

/// The AWS store clients of one `ref+` backend, one per distinct region/profile/role (`?region=…&profile=…&role_arn=…`,
/// with vals's `VALS_*` fallbacks), made on first use so commands that never meet such a reference never start the
/// HTTP stack.
final class AWSRefStores<Store: Sendable>: Sendable {
    private let scheme: String
    private let environment: Environment
    private let shared: AWSContext?
    private let context = Mutex<AWSContext?>(nil)
    private let stores = Mutex<[String: Store]>([:])
    private let regionRequired: Bool
    private let make: @Sendable (AWSStoreOptions, AWSContext) throws(CloakError) -> Store

    init(
        scheme: String, context: AWSContext?, environment: Environment, regionRequired: Bool,
        make: @escaping @Sendable (AWSStoreOptions, AWSContext) throws(CloakError) -> Store
    ) {
        self.scheme = scheme
        self.shared = context
        self.environment = environment
        self.regionRequired = regionRequired
        self.make = make
    }

    private func awsContext() -> AWSContext {
        if let shared { return shared }
        return context.withLock { (c: inout AWSContext?) -> AWSContext in
            if let c { return c }
            let made = AWSContext(environment: environment)
            c = made
            return made
        }
    }

    /// The grouping key and the store for a reference's parameters.
    func store(_ params: RefParams) throws(CloakError) -> (key: String, store: Store) {
        let region = params.value("region") ?? environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION")
        if regionRequired && region == nil {
            throw CloakError(.config, "\(scheme): no region (add ?region=…, or set VALS_REGION or AWS_REGION)")
        }
        let profile = params.value("profile")
        let role = params.value("role_arn")
        let key = [region ?? "", profile ?? "", role ?? ""].joined(separator: "\u{0}")
        if let hit = stores.withLock({ $0[key] }) { return (key, hit) }
        let options = AWSStoreOptions(name: "ref+\(scheme)", region: region, readRoleArn: role, profile: profile)
        let made = try make(options, awsContext())
        stores.withLock { $0[key] = made }
        return (key, made)
    }
}

