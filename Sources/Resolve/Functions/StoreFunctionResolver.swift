public import Core
public import YAML

/// Replaces `!store` and `!store.get` nodes with the values they read. Every lookup of a pass is validated first,
/// then the keys are read with one batched call per store (duplicates once); values are remembered for later passes.
/// Store values are not secrets: they are neither masked nor kept out of var files.
public final class StoreFunctionResolver {
    /// The tags this resolver handles.
    public static let tags: Set<String> = ["!store", "!store.get"]
    /// Store kinds that can be read.
    public static let supportedKinds: [String] = [
        "aws/ssm", "aws/asm", "hashicorp/vault", "azure/keyvault", "gcp/secretmanager", "redis", "artifactory",
    ]

    /// The current stack (used when `!store` names none) and component (for `{{ .component }}`).
    let stack: String
    let component: String
    let stores: [String: StoreConfig]
    let makeReader: (StoreConfig) throws(CloakError) -> any StoreKeyReader
    private var readers: [String: any StoreKeyReader] = [:]
    private var values: [ReadKey: Result<SecretValue, CloakError>] = [:]

    /// One key of one store.
    struct ReadKey: Hashable {
        var store: String
        var name: String
    }

    /// One function call found in a tree.
    struct Call {
        var function: StoreFunction
        var key: ReadKey
        var location: SourceLocation?
    }

    /// Creates a resolver; `reader` builds the backend of a store (called once per store, only for supported kinds).
    public init(
        stack: String, component: String, stores: [String: StoreConfig],
        reader: @escaping (StoreConfig) throws(CloakError) -> any StoreKeyReader
    ) {
        self.stack = stack
        self.component = component
        self.stores = stores
        self.makeReader = reader
    }

    /// Whether the tree holds a `!store` or `!store.get` node.
    public static func contains(_ node: Node) -> Bool {
        if let tag = node.tag, tags.contains(tag) { return true }
        switch node.content {
        case .scalar: return false
        case .sequence(let items): return items.contains(where: contains)
        case .mapping(let pairs): return pairs.contains { contains($0.value) }
        }
    }

    /// `nodes` with every `!store`/`!store.get` replaced by its value; errors name the function's file:line:col.
    public func resolve(_ nodes: [Node]) throws(CloakError) -> [Node] {
        var calls: [Call] = []
        for node in nodes { try collect(node, into: &calls) }
        guard !calls.isEmpty else { return nodes }
        var pending: [String: [String]] = [:]
        var seen = Set<ReadKey>()
        for call in calls where values[call.key] == nil && seen.insert(call.key).inserted {
            pending[call.key.store, default: []].append(call.key.name)
        }
        for (store, names) in pending {
            guard let reader = readers[store] else { continue }
            for (name, result) in zip(names, reader.readKeys(names)) { values[ReadKey(store: store, name: name)] = result }
        }
        var next = 0
        var out: [Node] = []
        for node in nodes { out.append(try substitute(node, calls: calls, next: &next)) }
        return out
    }

    private func collect(_ node: Node, into calls: inout [Call]) throws(CloakError) {
        if let tag = node.tag, Self.tags.contains(tag) {
            calls.append(try prepare(tag, node))
            return
        }
        switch node.content {
        case .scalar: return
        case .sequence(let items): for item in items { try collect(item, into: &calls) }
        case .mapping(let pairs): for pair in pairs { try collect(pair.value, into: &calls) }
        }
    }

    /// Parses one call and checks its store; the store's reader is built here so errors come before any read.
    private func prepare(_ tag: String, _ node: Node) throws(CloakError) -> Call {
        let at = node.location
        var text = node.scalarText ?? ""
        let function: StoreFunction
        do throws(CloakError) {
            if text.contains("{{") {
                let data = Node.mapping([
                    "stack": .string(stack), "atmos_stack": .string(stack),
                    "component": .string(component), "atmos_component": .string(component),
                ])
                text = try GoTemplate(text, name: "\(tag) arguments").render(data, environment: nil)
            }
            function = try StoreFunction(tag: tag, parsing: text)
        } catch {
            throw CloakError(error.code, error.message, at: at)
        }
        guard let store = stores[function.store] else {
            let configured = stores.keys.sorted()
            let list = configured.isEmpty ? "no stores are configured" : "configured stores: \(configured.joined(separator: ", "))"
            throw CloakError(.config, "\(tag): store \"\(function.store)\" is not configured under atmos.yaml stores (\(list))", at: at)
        }
        if store.isSecret {
            throw CloakError(.config, "store is a secret store; use !secret instead of !store: store \"\(store.name)\"", at: at)
        }
        guard Self.supportedKinds.contains(store.kind) else {
            throw CloakError(
                .config,
                "\(tag): store \"\(store.name)\" uses backend \"\(store.kind)\", which !store cannot read (readable: \(Self.supportedKinds.joined(separator: ", ")))",
                at: at)
        }
        let reader: any StoreKeyReader
        if let hit = readers[store.name] {
            reader = hit
        } else {
            do throws(CloakError) { reader = try makeReader(store) } catch {
                throw error.location == nil ? CloakError(error.code, error.message, at: at) : error
            }
            readers[store.name] = reader
        }
        let name: String
        switch function.target {
        case .raw(let key): name = reader.rawKeyName(key)
        case .composed(let s, let c, let k): name = reader.keyName(SecretCoordinate(stack: s ?? stack, component: c, key: k))
        }
        return Call(function: function, key: ReadKey(store: store.name, name: name), location: at)
    }

    private func substitute(_ node: Node, calls: [Call], next: inout Int) throws(CloakError) -> Node {
        var position = next
        defer { next = position }
        return try node.replacing { (candidate) throws(CloakError) -> Node? in
            guard let tag = candidate.tag, Self.tags.contains(tag) else { return nil }
            let call = calls[position]
            position += 1
            return try value(of: call)
        }
    }

    /// The node a call evaluates to: the decoded value (queried), or its default when the key cannot be read.
    private func value(of call: Call) throws(CloakError) -> Node {
        let f = call.function
        let result = values[call.key] ?? .failure(CloakError(.internal, "no result"))
        let read: SecretValue
        switch result {
        case .success(let v):
            read = v
        case .failure(let error):
            if let fallback = f.defaultValue { return Node(.scalar(fallback, .doubleQuoted), location: call.location) }
            if error.code == .notInitialized {
                throw CloakError(
                    .notInitialized,
                    "\(f.tag): key \"\(call.key.name)\" not found in store \"\(call.key.store)\" (write it first, or add `| default VALUE`)",
                    at: call.location)
            }
            throw CloakError(error.code, "\(f.tag): cannot read key \"\(call.key.name)\" from store \"\(call.key.store)\": \(error.message)", at: call.location)
        }
        var node: Node
        do throws(CloakError) { node = try SecretReferenceResolver.valueNode(read, location: call.location) } catch {
            throw CloakError(.backend, "\(f.tag): the value of key \"\(call.key.name)\" in store \"\(call.key.store)\" is not valid JSON", at: call.location)
        }
        if let expression = f.query {
            let query: NodeQuery
            do { query = try NodeQuery(expression) } catch { throw CloakError(.config, "\(f.tag): \(error.message)", at: call.location) }
            node = query.evaluate(node) ?? .null
        }
        return node
    }
}
