public import Core
public import Resolve
import YAML

/// Builds the child environment: parent (or a pristine base) < atmos.yaml `env` < the component's `env` (with
/// `!secret` resolved) < declared secrets by NAME. A declared secret always wins.
public enum EnvironmentLayering {
    /// Variables kept by `--pristine`.
    public static let pristineNames = ["PATH", "HOME", "USER", "TERM", "LANG", "TZ"]

    /// Options for one build.
    public struct Options: Sendable {
        /// Start from the pristine base instead of the parent environment.
        public var pristine = false
        /// Treat every unresolved secret as fatal.
        public var strict = false
        /// Include the declared secrets (false for `cloak env --no-secrets` style views).
        public var includeSecrets = true

        /// Creates options.
        public init(pristine: Bool = false, strict: Bool = false) {
            self.pristine = pristine
            self.strict = strict
        }
    }

    /// Builds the plan for `component`. Errors are configuration problems (a bad `!secret`, an unsupported
    /// function); unresolvable secrets become `problems` instead.
    public static func build(
        component: ResolvedComponent, config: AtmosConfig, service: SecretService, parent: Environment,
        options: Options = Options()
    ) throws(CloakError) -> EnvironmentPlan {
        var plan = EnvironmentPlan()
        if options.pristine {
            for name in pristineNames {
                if let v = parent[name] { plan.set(.init(name: name, value: .plain(v), origin: "pristine base", isSecret: false, asFile: false)) }
            }
        } else {
            for (name, value) in parent.all() {
                plan.set(.init(name: name, value: .plain(value), origin: "parent environment", isSecret: false, asFile: false))
            }
        }
        for (name, value) in config.env {
            plan.set(.init(name: name, value: .plain(value), origin: "atmos.yaml env", isSecret: false, asFile: false))
        }
        // Each declared secret is fetched once, whether used by NAME or through `!secret` in env.
        var resolved: [String: Result<SecretValue, CloakError>] = [:]
        let declared = options.includeSecrets ? service.resolveAll() : []
        for (decl, result) in declared { resolved[decl.name] = result }
        let lookup = { (name: String) throws(CloakError) -> SecretValue in
            if let hit = resolved[name] { return try hit.get() }
            let value = try service.get(name)
            resolved[name] = .success(value)
            return value
        }

        for pair in component.env.pairs ?? [] {
            guard let name = pair.key.scalarText else { continue }
            let node = pair.value
            let origin = "\(node.location.map { "\($0)" } ?? "stack") (component env)"
            if let tag = node.tag, tag != "!secret", tag.hasPrefix("!") {
                throw CloakError(.config, "env \(name): the YAML function \(tag) is not supported by cloak yet", at: node.location)
            }
            if SecretReferenceResolver.containsSecrets(node) {
                var usedSecret = false
                let value = try SecretReferenceResolver.resolve(node, lookup: lookup, onValue: { _ in usedSecret = true })
                var bytes = Array(text(value).utf8)
                let secret = SecretBytes(consuming: &bytes)
                plan.set(.init(name: name, value: usedSecret ? .secret(secret) : .plain(secret.unsafeString()), origin: origin + " via !secret", isSecret: usedSecret, asFile: false))
            } else {
                plan.set(.init(name: name, value: .plain(text(node)), origin: origin, isSecret: false, asFile: false))
            }
        }

        for (name, result) in resolved {
            if case .success(let value) = result { plan.resolved[name] = value }
        }
        for (decl, result) in declared {
            let where_ = "\(decl.providerLabel) \(decl.coordinate(stack: component.stack, component: component.name))"
            switch result {
            case .success(let value):
                plan.set(.init(name: decl.name, value: .secret(envBytes(value)), origin: "secret \(where_)", isSecret: true, asFile: decl.asFile))
            case .failure(let error):
                plan.problems.append(.init(name: decl.name, reason: error.message, fatal: decl.required || options.strict))
            }
        }
        return plan
    }

    /// The environment text of a node: strings as they are, anything else as compact JSON.
    static func text(_ node: Node) -> String {
        if node.isScalar {
            if node.isNull { return "" }
            return node.scalarText ?? ""
        }
        return JSON.serialize(node, options: JSONOptions(indent: nil, escapeHTML: false, trailingNewline: false))
    }

    /// A secret as environment bytes: text as is; JSON strings unquoted, other JSON compact as stored.
    static func envBytes(_ value: SecretValue) -> SecretBytes {
        switch value {
        case .text(let b): return b
        case .json(let b): return b
        }
    }
}
