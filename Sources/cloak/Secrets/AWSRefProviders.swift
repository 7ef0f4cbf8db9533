import Core
import Resolve
import Stores
import Synchronization
import YAML

/// `ref+awsssm://PATH[?region=…&profile=…&role_arn=…&mode=singleparam][#/frag]` through the `aws/ssm` store client:
/// the path gets a leading `/`; references are fetched with `GetParameters` (10 names per call) per distinct
/// region/profile/role. A fragment needs `mode=singleparam` (the parameter's value parsed as YAML); the default
/// fragment mode (`GetParametersByPath`) and `version=` are not available in this build yet.
final class AWSSSMRefProvider: RefProvider, Sendable {
    private let environment: Environment
    private let shared: AWSContext?
    private let context = Mutex<AWSContext?>(nil)
    private let stores = Mutex<[String: SSMStore]>([:])

    /// `context` is shared with the stores when given; otherwise one is created on first use (so commands that never
    /// meet an awsssm reference never initialise the HTTP stack).
    init(context: AWSContext?, environment: Environment) {
        self.shared = context
        self.environment = environment
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

    var isLocal: Bool { false }

    func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: false)])[0].get().scalarText ?? ""
    }

    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        try resolveBatch([RefRequest(path: path, params: params, wantsMap: true)])[0].get()
    }

    func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>] {
        var results = [Result<Node, CloakError>?](repeating: nil, count: requests.count)
        var groups: [String: (store: SSMStore, indices: [Int])] = [:]
        for (i, r) in requests.enumerated() {
            do throws(CloakError) {
                if r.params.value("version").map({ !$0.isEmpty }) == true {
                    throw CloakError(.config, "awsssm: version= is not available in this build yet")
                }
                if r.wantsMap && r.params.value("mode") != "singleparam" {
                    throw CloakError(.config, "awsssm: a fragment needs ?mode=singleparam in this build (GetParametersByPath is not available yet)")
                }
                let (key, store) = try self.store(r.params)
                groups[key, default: (store, [])].indices.append(i)
            } catch {
                results[i] = .failure(error)
            }
        }
        for (_, group) in groups {
            let coordinates = group.indices.map { SecretCoordinate(stack: "", component: "", key: Self.name(requests[$0].path)) }
            for (k, value) in group.store.getMany(coordinates).enumerated() {
                let i = group.indices[k]
                results[i] = value.flatMap { (v) -> Result<Node, CloakError> in
                    let text = v.bytes.unsafeString()
                    if !requests[i].wantsMap { return .success(.string(text)) }
                    do throws(CloakError) {
                        let node = try YAMLLoader.loadSingle(text, file: "awsssm parameter")
                        guard node.isMapping else { throw CloakError(.config, "awsssm: the parameter is not a YAML map") }
                        return .success(node)
                    } catch {
                        return .failure(CloakError(.config, "awsssm: the parameter is not a YAML map"))
                    }
                }
            }
        }
        return results.map { $0 ?? .failure(CloakError(.internal, "awsssm: no result")) }
    }

    /// The parameter name: a leading `/` added, a trailing one dropped.
    static func name(_ path: String) -> String {
        var p = path
        if p.hasSuffix("/") && p.count > 1 { p.removeLast() }
        return p.hasPrefix("/") ? p : "/" + p
    }

    private func store(_ params: RefParams) throws(CloakError) -> (String, SSMStore) {
        let region = params.value("region") ?? environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION")
        guard region != nil else {
            throw CloakError(.config, "awsssm: no region (add ?region=…, or set VALS_REGION or AWS_REGION)")
        }
        let profile = params.value("profile")
        let role = params.value("role_arn")
        let key = [region ?? "", profile ?? "", role ?? ""].joined(separator: "\u{0}")
        if let hit = stores.withLock({ $0[key] }) { return (key, hit) }
        let options = AWSStoreOptions(name: "ref+awsssm", region: region, readRoleArn: role, profile: profile)
        let store = try SSMStore(options: options, context: awsContext())
        stores.withLock { $0[key] = store }
        return (key, store)
    }
}
