public import Core
public import YAML

/// The secrets of one component (or, with no component, of a stack's top-level `secrets:` block): declarations,
/// their backends and coordinates, and the get/set/delete/status operations with Atmos's messages.
public final class SecretService {
    /// Canonical stack name.
    public let stack: String
    /// Component instance key, or nil for the stack-level view.
    public let component: String?
    /// Declarations sorted by name.
    public let declarations: [SecretDeclaration]
    /// SOPS providers visible here (atmos.yaml, overridden by stack and component ones).
    public let providers: [String: SopsProviderConfig]
    /// Configured stores.
    public let stores: [String: StoreConfig]
    private let backends: SecretBackends
    private var cache: [String: any SecretBackend] = [:]
    /// `!store`/`!store.get` lookups, remembered across sections and passes.
    private lazy var storeFunctions = StoreFunctionResolver(
        stack: stack, component: component ?? "", stores: stores,
        reader: { [backends] (store) throws(CloakError) -> any StoreKeyReader in try backends.reader(store) })

    /// The service for a resolved component.
    public convenience init(component: ResolvedComponent, config: AtmosConfig, backends: SecretBackends) throws(CloakError) {
        try self.init(stack: component.stack, component: component.name, secrets: component.secrets, config: config, backends: backends)
    }

    /// The service for `secrets` (already merged and scope-stamped) in `stack`.
    public init(stack: String, component: String?, secrets: Node, config: AtmosConfig, backends: SecretBackends) throws(CloakError) {
        self.stack = stack
        self.component = component
        self.declarations = try SecretDeclaration.parseAll(secrets)
        // Validate each level on its own: a merge would silently replace a malformed atmos.yaml entry.
        _ = try SopsProviderConfig.parseAll(config.document["secrets"]?["providers"])
        let merged = DeepMerge.merge(config.document["secrets"]?["providers"] ?? .mapping([]), secrets["providers"] ?? .mapping([]))
        self.providers = try SopsProviderConfig.parseAll(merged)
        self.stores = try StoreConfig.parseAll(config.document["stores"])
        self.backends = backends
    }

    /// The declaration called `name`.
    public func declaration(_ name: String) throws(CloakError) -> SecretDeclaration {
        guard let decl = declarations.first(where: { $0.name == name }) else {
            let hint = Suggestion.hint(for: name, in: declarations.map(\.name))
            throw CloakError(.notFound, "secret is not declared: \"\(name)\"\(hint)")
        }
        return decl
    }

    /// The backend and coordinate of a declaration.
    public func target(_ decl: SecretDeclaration) throws(CloakError) -> (backend: any SecretBackend, coordinate: SecretCoordinate) {
        let backend = try self.backend(for: decl)
        guard backend.supports(decl.scope) else {
            throw CloakError(
                .config,
                "secret scope not supported by backend: secret \"\(decl.name)\" is \(decl.scope.rawValue)-scoped but backend \"\(backend.label)\" does not support that scope",
                at: decl.location)
        }
        return (backend, decl.coordinate(stack: stack, component: component ?? ""))
    }

    /// The backend a declaration refers to (errors name the secret and the missing provider or store).
    public func backend(for decl: SecretDeclaration) throws(CloakError) -> any SecretBackend {
        switch decl.backend {
        case .none:
            throw CloakError(.config, "secret declaration has no backend (set store: or sops:): secret \"\(decl.name)\"", at: decl.location)
        case .ref(let text):
            if let hit = cache["ref:" + text] { return hit }
            let backend = try RefSecretBackend(reference: text, registry: backends.references, location: decl.location)
            cache["ref:" + text] = backend
            return backend
        case .sops(let name):
            if let hit = cache["sops:" + name] { return hit }
            guard let provider = providers[name] else {
                throw CloakError(
                    .config, "referenced secrets provider is not configured: \"\(name)\" (secret \"\(decl.name)\")\(Suggestion.hint(for: name, in: providers.keys))",
                    at: decl.location)
            }
            let backend = try backends.sops(provider)
            cache["sops:" + name] = backend
            return backend
        case .store(let name):
            if let hit = cache["store:" + name] { return hit }
            guard let store = stores[name] else {
                throw CloakError(
                    .config, "referenced store is not configured: \"\(name)\" (secret \"\(decl.name)\")\(Suggestion.hint(for: name, in: stores.keys))",
                    at: decl.location)
            }
            guard store.isSecret else {
                throw CloakError(
                    .config, "referenced store is not a secret store (set `secret: true`): \"\(name)\" (secret \"\(decl.name)\")",
                    at: decl.location)
            }
            let backend = try backends.store(store)
            cache["store:" + name] = backend
            return backend
        }
    }

    /// `nodes` with every `!store`/`!store.get` resolved (one batched read per store for all of them).
    public func resolveStoreFunctions(_ nodes: [Node]) throws(CloakError) -> [Node] {
        guard nodes.contains(where: StoreFunctionResolver.contains) else { return nodes }
        return try storeFunctions.resolve(nodes)
    }

    /// Resolves `!store`/`!store.get` in the component's `env`, `vars` and `settings` (one batched pass).
    public func resolveStoreFunctions(in component: inout ResolvedComponent) throws(CloakError) {
        let names = ["env", "vars", "settings"]
        let sections = names.map { component.section($0) }
        guard sections.contains(where: StoreFunctionResolver.contains) else { return }
        for (name, node) in zip(names, try storeFunctions.resolve(sections)) where component.sections[name] != nil {
            component.sections[name] = node
        }
    }

    /// The value of secret `name`.
    public func get(_ name: String) throws(CloakError) -> SecretValue {
        let decl = try declaration(name)
        let (backend, coordinate) = try target(decl)
        do {
            return try backend.get(coordinate)
        } catch {
            if error.code == .notInitialized && error.message.hasPrefix("secret is not initialized") { throw error }
            throw CloakError(
                error.code == .notInitialized ? .notInitialized : error.code,
                "secret is not initialized in its backend: \"\(name)\": \(error.message)")
        }
    }

    /// Every declared secret, fetched with one `getMany` per backend; in declaration order.
    public func resolveAll(_ selected: [SecretDeclaration]? = nil) -> [(SecretDeclaration, Result<SecretValue, CloakError>)] {
        let decls = selected ?? declarations
        var results = [Result<SecretValue, CloakError>?](repeating: nil, count: decls.count)
        var groups: [String: (backend: any SecretBackend, indices: [Int], coordinates: [SecretCoordinate])] = [:]
        for (i, decl) in decls.enumerated() {
            do throws(CloakError) {
                let (backend, coordinate) = try target(decl)
                groups[backend.label, default: (backend, [], [])].indices.append(i)
                groups[backend.label]?.coordinates.append(coordinate)
            } catch {
                results[i] = .failure(error)
            }
        }
        for (_, group) in groups {
            for (k, result) in group.backend.getMany(group.coordinates).enumerated() {
                results[group.indices[k]] = result
            }
        }
        return decls.enumerated().map { (i, d) in (d, results[i] ?? .failure(CloakError(.internal, "no result for \(d.name)"))) }
    }

    /// Writes secret `name` and returns the success message for stderr. `componentGiven` is whether the user named a
    /// component: writing a stack-scoped secret through a component is refused (Atmos silently wrote the stack value).
    public func set(_ name: String, _ value: SecretValue, componentGiven: Bool) throws(CloakError) -> String {
        let decl = try declaration(name)
        if decl.scope == .stack && componentGiven, let component {
            throw CloakError(
                .usage,
                "secret \"\(name)\" is stack-scoped at component \"\(component)\" (declared in the stack's top-level secrets): omit -c to set the stack value, or re-declare it under the component to give it its own value")
        }
        let (backend, coordinate) = try target(decl)
        try backend.set(coordinate, value)
        switch decl.scope {
        case .global:
            return "Set global secret `\(name)` (one value shared by every stack and component using its store)"
        case .stack:
            return "Set stack-scoped secret `\(name)` for stack `\(stack)` (shared by every component in the stack)"
        case .instance:
            return "Set secret `\(name)` for component `\(component ?? "")` in stack `\(stack)`"
        }
    }

    /// Deletes secret `name` from its backend.
    public func delete(_ name: String, componentGiven: Bool) throws(CloakError) {
        let decl = try declaration(name)
        if decl.scope == .stack && componentGiven, let component {
            throw CloakError(
                .usage,
                "secret \"\(name)\" is stack-scoped at component \"\(component)\": omit -c to delete the stack value shared by every component")
        }
        let (backend, coordinate) = try target(decl)
        try backend.delete(coordinate)
    }

    /// Status without fetching values: local backends are always checked, remote ones only with `verify`.
    public func status(_ decl: SecretDeclaration, verify: Bool) -> SecretStatus {
        do throws(CloakError) {
            let (backend, coordinate) = try target(decl)
            if !backend.isLocal && !verify { return .unknown }
            return try backend.exists(coordinate) ? .initialized : .missing
        } catch {
            return .error(error.message)
        }
    }
}
