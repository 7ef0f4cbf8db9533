import CLI
import Core
import Resolve

struct Init: Command {
    static let spec = CommandSpec(
        Init.self, name: "init",
        abstract: "Give every declared secret a value: prompts for missing ones (or reads --input / redirected stdin as dotenv).",
        discussion: "-s alone initializes the whole stack (stack-scoped secrets once); --all every stack. Existing values are kept unless you choose to rotate them (--force rotates without asking).",
        options: [all, force, dryRun, input, mode] + ScopeOptions.options
    )
    enum Mode: String, ArgumentChoice { case warn, strict }
    static let all = OptionSpec.flag("all", help: "Every stack and component.")
    static let force = OptionSpec.flag("force", short: "f", help: "Rotate values that are already set.")
    static let dryRun = OptionSpec.flag("dry-run", help: "Report what would be asked; write nothing.")
    static let input = OptionSpec.value("input", help: "A dotenv file (or -) with values to use instead of prompting.")
    static let mode = OptionSpec.value(
        "mode", help: "warn: report secrets left without a value; strict: fail if a required one is left.", choices: Mode.choices,
        default: "warn")

    let all: Bool
    let force: Bool
    let dryRun: Bool
    let input: String?
    let mode: Mode
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) {
        all = arguments.flag(Self.all)
        force = arguments.flag(Self.force)
        dryRun = arguments.flag(Self.dryRun)
        input = arguments.string(Self.input)
        mode = arguments.choice(Self.mode, as: Mode.self) ?? .warn
        scope = ScopeOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            if all && (scope.stackName != nil || scope.componentName != nil) {
                throw CloakError(.usage, "--all cannot be combined with -s or -c")
            }
            var provided: [String: String] = [:]
            if let input {
                for (k, v) in try SecretFileInput.read(input, format: "env") { provided[k] = v }
            } else if !Console.stdinIsTerminal {
                for (k, v) in DotenvInput.parseEnv(String(decoding: Console.readAllStdin(), as: UTF8.self)) { provided[k] = v }
            }
            let context = try SecretContext(scope)
            var targets: [ResolvedComponent] = []
            if all {
                targets = try context.catalog.allComponents().filter { !$0.isAbstract }
            } else {
                let stack = try context.requireStack(scope)
                if let component = scope.componentName {
                    targets = [try context.catalog.component(component, stack: stack, type: scope.type)]
                } else {
                    targets = try context.catalog.allComponents().filter { !$0.isAbstract && $0.stack == stack }
                }
            }
            var initialized = 0
            var rotated = 0
            var unaffected = 0
            var leftMissing: [String] = []
            var done: Swift.Set<String> = []
            for component in targets {
                let service = try SecretService(component: component, config: context.catalog.config, backends: context.backends)
                for decl in service.declarations {
                    let c = decl.coordinate(stack: component.stack, component: component.name)
                    guard done.insert("\(decl.providerLabel)|\(c)").inserted else { continue }
                    let where_ = decl.scope == .instance ? "\(component.stack)/\(component.name)" : (decl.scope == .stack ? component.stack : "global")
                    let status = service.status(decl, verify: true)
                    if case .error(let message) = status {
                        Console.err("⚠ `\(decl.name)` (\(where_)): \(message)")
                        if decl.required { leftMissing.append(decl.name) }
                        continue
                    }
                    let exists = status == .initialized
                    if exists && !force {
                        let rotate = provided[decl.name] == nil && ScopeOptions.interactive && !dryRun
                            && (try? Prompt.confirm("`\(decl.name)` (\(where_)) is already set. Rotate it?")) == true
                        if !rotate {
                            unaffected += 1
                            continue
                        }
                    }
                    if dryRun {
                        Console.err("Would \(exists ? "rotate" : "initialize") `\(decl.name)` (\(where_))")
                        continue
                    }
                    var value: SecretValue?
                    if let text = provided[decl.name] {
                        var bytes = Array(text.utf8)
                        value = .text(SecretBytes(consuming: &bytes))
                    } else if ScopeOptions.interactive {
                        var bytes = try Prompt.readHidden("Value for `\(decl.name)` (\(where_))\(decl.description.map { " — \($0)" } ?? ""): ")
                        if !bytes.isEmpty { value = .text(SecretBytes(consuming: &bytes)) }
                    }
                    guard let value else {
                        if !exists {
                            Console.err("⚠ `\(decl.name)` (\(where_)) has no value")
                            if decl.required { leftMissing.append(decl.name) }
                        }
                        continue
                    }
                    context.masker.register(value)
                    _ = try service.set(decl.name, value, componentGiven: false)
                    if exists { rotated += 1 } else { initialized += 1 }
                }
            }
            Console.err("Initialized \(initialized) secret(s), rotated \(rotated), \(unaffected) unaffected")
            if mode == .strict && !leftMissing.isEmpty {
                throw CloakError(.validation, "required secret(s) still missing: \(leftMissing.joined(separator: ", "))")
            }
        }
    }
}
