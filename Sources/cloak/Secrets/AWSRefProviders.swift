import Core
import Resolve
import Stores
import YAML

/// `ref+awsssm://PATH[?region=…&profile=…&role_arn=…&version=N&mode=singleparam&recursive=true][#/frag]` through
/// the `aws/ssm` store client (see `SSMRefLookup`). Per distinct region/profile/role, every plain value of a
/// document is fetched with `GetParameters` (10 names per call); versions with `GetParameter name:N`; fragment
/// lookups without `mode=singleparam` read the tree under the path with `GetParametersByPath` (recursive when asked,
/// every page, once per path).
final class AWSSSMRefProvider: RefProvider, Sendable {
    private let stores: AWSRefStores<SSMStore>

    /// `context` is shared with the stores when given; otherwise one is made on first use.
    init(context: AWSContext?, environment: Environment) {
        stores = AWSRefStores(scheme: "awsssm", context: context, environment: environment, regionRequired: true) {
            (options, context) throws(CloakError) -> SSMStore in try SSMStore(options: options, context: context)
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
        var batches: [String: (store: SSMStore, indices: [Int])] = [:]
        var trees: [String: Result<[(name: String, value: String)], CloakError>] = [:]
        for (i, r) in requests.enumerated() {
            do throws(CloakError) {
                let lookup = try SSMRefLookup(path: r.path, params: r.params, wantsMap: r.wantsMap)
                let (key, store) = try stores.store(r.params)
                switch lookup.mode {
                case .tree(let recursive):
                    let treeKey = key + "\u{0}\(recursive)\u{0}" + lookup.name
                    if trees[treeKey] == nil { trees[treeKey] = Self.readTree(store, lookup.name, recursive: recursive) }
                    let params = try trees[treeKey]?.get() ?? []
                    guard !params.isEmpty else {
                        throw CloakError(.notInitialized, "awsssm: no parameters under \"\(lookup.name)\"")
                    }
                    results[i] = .success(SSMRefLookup.tree(params, under: lookup.name, recursive: recursive))
                case .value, .singleParameterMap:
                    if let version = lookup.version {
                        let raw = try store.rawValue(lookup.name, version: version)
                        results[i] = Self.shape(raw.unsafeString(), lookup)
                    } else {
                        batches[key, default: (store, [])].indices.append(i)
                    }
                }
            } catch {
                results[i] = .failure(error)
            }
        }
        for (_, batch) in batches {
            let lookups = batch.indices.map { try? SSMRefLookup(path: requests[$0].path, params: requests[$0].params, wantsMap: requests[$0].wantsMap) }
            let names = lookups.map { $0?.name ?? "" }
            for (k, value) in batch.store.rawValues(names).enumerated() {
                let i = batch.indices[k]
                guard let lookup = lookups[k] else { continue }
                results[i] = value.flatMap { Self.shape($0.unsafeString(), lookup) }
            }
        }
        return results.map { $0 ?? .failure(CloakError(.internal, "awsssm: no result")) }
    }

    private static func readTree(_ store: SSMStore, _ path: String, recursive: Bool) -> Result<[(name: String, value: String)], CloakError> {
        do throws(CloakError) {
            return .success(try store.parametersByPath(path, recursive: recursive).map { ($0.name, $0.value.unsafeString()) })
        } catch {
            return .failure(error)
        }
    }

    /// The value as a string, or parsed as a YAML map for `mode=singleparam` with a fragment.
    private static func shape(_ text: String, _ lookup: SSMRefLookup) -> Result<Node, CloakError> {
        guard lookup.mode == .singleParameterMap else { return .success(.string(text)) }
        do throws(CloakError) {
            return .success(try RefDocument.parseMap(text, source: "awsssm: parameter \"\(lookup.name)\""))
        } catch {
            return .failure(error)
        }
    }
}

/// `ref+awssecrets://NAME-OR-ARN[?region=…&profile=…&role_arn=…&version_stage=…&version_id=…][#/frag]` through the
/// `aws/asm` store client (see `AWSSecretsRefLookup`). Per distinct region/profile/role, every secret of a
/// document at its current version is fetched with `BatchGetSecretValue` (20 ids per call); pinned versions with
/// `GetSecretValue` each. A fragment lookup whose secret cannot be read falls back to the `<id>/meta` listing.
final class AWSSecretsRefProvider: RefProvider, Sendable {
    private let stores: AWSRefStores<ASMStore>

    /// `context` is shared with the stores when given; otherwise one is made on first use.
    init(context: AWSContext?, environment: Environment) {
        stores = AWSRefStores(scheme: "awssecrets", context: context, environment: environment, regionRequired: false) {
            (options, context) throws(CloakError) -> ASMStore in try ASMStore(options: options, context: context)
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
        var groups: [String: (store: ASMStore, items: [(index: Int, lookup: AWSSecretsRefLookup)])] = [:]
        for (i, r) in requests.enumerated() {
            do throws(CloakError) {
                let lookup = try AWSSecretsRefLookup(path: r.path, params: r.params)
                let (key, store) = try stores.store(r.params)
                groups[key, default: (store, [])].items.append((i, lookup))
            } catch {
                results[i] = .failure(error)
            }
        }
        for (_, group) in groups {
            let asked = group.items.map {
                ASMSecretRequest(secretId: $0.lookup.secretId, versionStage: $0.lookup.versionStage, versionId: $0.lookup.versionId)
            }
            for (k, value) in group.store.rawSecrets(asked).enumerated() {
                let (i, lookup) = group.items[k]
                guard requests[i].wantsMap else {
                    results[i] = value.map { .string($0.unsafeString()) }
                    continue
                }
                switch value {
                case .success(let bytes):
                    do throws(CloakError) {
                        results[i] = .success(
                            try RefDocument.parseMap(bytes.unsafeString(), source: "awssecrets: secret \"\(lookup.secretId)\""))
                    } catch {
                        results[i] = .failure(error)
                    }
                case .failure(let error):
                    results[i] = Self.fromMeta(lookup, group.store) ?? .failure(error)
                }
            }
        }
        return results.map { $0 ?? .failure(CloakError(.internal, "awssecrets: no result")) }
    }

    /// vals's fallback: `<id>/meta` lists suffixes; the map holds each `<id>/<suffix>` secret. Nil when there is no
    /// readable meta secret (the original error stands).
    private static func fromMeta(_ lookup: AWSSecretsRefLookup, _ store: ASMStore) -> Result<Node, CloakError>? {
        guard case .success(let meta) = store.rawSecrets([ASMSecretRequest(secretId: lookup.metaId)])[0] else { return nil }
        do throws(CloakError) {
            let suffixes = try AWSSecretsRefLookup.metaSuffixes(
                try RefDocument.parseMap(meta.unsafeString(), source: "awssecrets: secret \"\(lookup.metaId)\""))
            let values = store.rawSecrets(suffixes.map { ASMSecretRequest(secretId: lookup.secretId + "/" + $0) })
            var pairs: [Node.Pair] = []
            for (suffix, value) in zip(suffixes, values) {
                pairs.append(Node.Pair(key: .string(suffix), value: .string(try value.get().unsafeString())))
            }
            return .success(.mapping(pairs))
        } catch {
            return .failure(error)
        }
    }
}
