import CLI
import Core
import Resolve

struct Validate: Command {
    static let spec = CommandSpec(
        Validate.self, name: "validate",
        abstract: "Check that every required secret of a component has a value (contacts remote stores).",
        discussion: "Also checks that SOPS files do not collide across the stack's instances. Exit 1 on any problem.",
        options: ScopeOptions.options
    )
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) {
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let context = try SecretContext(scope)
            let stack = try context.requireStack(scope)
            let component = try context.requireComponent(scope, stack: stack)
            try CollisionGuard.check(stack: stack, context: context)
            let resolved = try context.catalog.component(component, stack: stack, type: scope.type)
            let service = try SecretService(component: resolved, config: context.catalog.config, backends: context.backends)
            var missing = 0
            var errors = 0
            for decl in service.declarations {
                switch service.status(decl, verify: true) {
                case .initialized, .unknown:
                    break
                case .missing:
                    if decl.required {
                        missing += 1
                        Console.err("✗ Missing required secret `\(decl.name)` (\(decl.providerLabel))")
                    }
                case .error(let message):
                    errors += 1
                    Console.err("⚠ Could not determine status of secret `\(decl.name)`: \(message)")
                }
            }
            if missing > 0 || errors > 0 {
                throw CloakError(.validation, "validation failed: \(missing) required secret(s) missing")
            }
            Console.err("✓ All required secrets are initialized for component `\(component)` in stack `\(stack)`")
        }
    }
}

/// SOPS collision guard: two instances must not share an instance-scoped SOPS file, and one stack-scoped secret
/// must resolve to the same file everywhere.
enum CollisionGuard {
    static func check(stack: String, context: SecretContext) throws(CloakError) {
        var instanceFiles: [String: String] = [:]
        var stackFiles: [String: (file: String, instance: String)] = [:]
        for (type, name) in try context.catalog.componentNames(stack: stack) {
            let c = try context.catalog.component(name, stack: stack, type: type)
            if c.isAbstract { continue }
            let service = try SecretService(component: c, config: context.catalog.config, backends: context.backends)
            for decl in service.declarations {
                guard case .sops(let providerName) = decl.backend, let provider = service.providers[providerName],
                    decl.scope != .global
                else { continue }
                let file = try provider.file(for: decl.coordinate(stack: stack, component: name))
                let instance = "\(stack)/\(name)"
                switch decl.scope {
                case .instance:
                    if let other = instanceFiles[file], other != instance {
                        throw collision(other, instance, file)
                    }
                    instanceFiles[file] = instance
                case .stack:
                    if let seen = stackFiles[decl.name], seen.file != file {
                        throw CloakError(
                            .validation,
                            "SOPS secret files collide across scopes: stack-scoped secret \"\(decl.name)\" resolves to \"\(seen.file)\" in \"\(seen.instance)\" but to \"\(file)\" in \"\(instance)\"")
                    }
                    stackFiles[decl.name] = (file, instance)
                case .global:
                    break
                }
            }
        }
    }

    private static func collision(_ a: String, _ b: String, _ file: String) -> CloakError {
        CloakError(
            .validation,
            "SOPS secret files collide across scopes: instances \"\(a)\" and \"\(b)\" resolve to the same SOPS file \"\(file)\"; add a component discriminator ({{ .atmos_component }} in spec.file) or declare the secret stack-scoped")
    }
}
