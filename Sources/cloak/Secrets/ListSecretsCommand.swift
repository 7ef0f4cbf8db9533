import CLI
import Core
import Resolve
import YAML

struct ListSecrets: Command {
    static let spec = CommandSpec(
        ListSecrets.self, name: "secrets",
        abstract: "List declared secrets with their scope, provider and status (values are never fetched).",
        discussion: "Default for `cloak list`. -s and -c filter; without --verify remote stores show `unknown`.",
        options: [verbose, verify, format] + ScopeOptions.options
    )
    enum Format: String, ArgumentChoice { case table, json, yaml, csv, tsv }
    static let verbose = OptionSpec.flag("verbose", short: "v", help: "Add a Description column.")
    static let verify = OptionSpec.flag("verify", help: "Contact remote stores to check existence.")
    static let format = OptionSpec.value(
        "format", short: "f", help: "table, json, yaml, csv or tsv (env ATMOS_SECRET_LIST_FORMAT).", choices: Format.choices)

    let verbose: Bool
    let verify: Bool
    let format: Format?
    let scope: ScopeOptions

    init(_ arguments: ParsedArguments) {
        verbose = arguments.flag(Self.verbose)
        verify = arguments.flag(Self.verify)
        format = arguments.choice(Self.format, as: Format.self)
        scope = ScopeOptions(arguments)
    }

    struct Row {
        var stack, component, secret, scope, provider, status, description: String
    }

    func run() throws {
        try Reporting.run {
            var chosen = format
            if chosen == nil, let env = Environment.process.nonEmpty("ATMOS_SECRET_LIST_FORMAT") {
                guard let f = Format(rawValue: env) else {
                    throw CloakError(.usage, "ATMOS_SECRET_LIST_FORMAT=\(env): use table, json, yaml, csv or tsv")
                }
                chosen = f
            }
            let context = try SecretContext(scope)
            let rows = try collect(context)
            if rows.isEmpty {
                Console.err(emptyMessage())
                return
            }
            Console.out(render(rows, format: chosen ?? .table))
        }
    }

    private func collect(_ context: SecretContext) throws(CloakError) -> [Row] {
        let catalog = context.catalog
        let stackFilter = scope.stackName
        let componentFilter = scope.componentName
        var components: [ResolvedComponent] = []
        if let stackFilter, let componentFilter {
            components = [try catalog.component(componentFilter, stack: stackFilter, type: scope.type)]
        } else {
            if let stackFilter { _ = try catalog.entry(named: stackFilter) }
            components = try catalog.allComponents().filter {
                !$0.isAbstract && (stackFilter == nil || $0.stack == stackFilter)
                    && (componentFilter == nil || $0.name == componentFilter)
            }
        }
        var rows: [Row] = []
        var seen: Swift.Set<String> = []
        for component in components {
            let service = try SecretService(component: component, config: catalog.config, backends: context.backends)
            for decl in service.declarations {
                var stack = component.stack
                var name = component.name
                switch decl.scope {
                case .instance: break
                case .stack: name = "*"
                case .global:
                    stack = "*"
                    name = "*"
                }
                guard seen.insert("\(stack)\u{0}\(name)\u{0}\(decl.name)").inserted else { continue }
                let status = service.status(decl, verify: verify)
                rows.append(
                    Row(
                        stack: stack, component: name, secret: decl.name, scope: decl.scope.rawValue,
                        provider: decl.providerLabel, status: status.label, description: decl.description ?? ""))
            }
        }
        return rows.sorted { ($0.stack, $0.secret, $0.component) < ($1.stack, $1.secret, $1.component) }
    }

    private var headers: [String] {
        ["Stack", "Component", "Secret", "Scope", "Provider", "Status"] + (verbose ? ["Description"] : [])
    }

    private func fields(_ r: Row) -> [String] {
        [r.stack, r.component, r.secret, r.scope, r.provider, r.status] + (verbose ? [r.description] : [])
    }

    private func render(_ rows: [Row], format: Format) -> String {
        switch format {
        case .table:
            guard Console.stdoutIsTerminal else { return rows.map { fields($0).joined(separator: "\t") + "\n" }.joined() }
            return TextTable.render(headers: headers, rows: rows.map(fields))
        case .tsv, .csv:
            let sep = format == .csv ? "," : "\t"
            return ([headers] + rows.map(fields)).map { $0.joined(separator: sep) + "\n" }.joined()
        case .json, .yaml:
            let list = Node.sequence(rows.map { row in
                .mapping(zip(headers, fields(row)).sorted { $0.0 < $1.0 }.map { Node.Pair(key: .string($0.0), value: .string($0.1)) })
            })
            if format == .yaml { return YAMLEmitter.emit([list], options: EmitOptions(indent: 2)) }
            return JSON.serialize(list, options: JSONOptions(indent: "  ", escapeHTML: false))
        }
    }

    private func emptyMessage() -> String {
        switch (scope.stackName, scope.componentName) {
        case (let s?, let c?): "No secrets declared for component \"\(c)\" in stack \"\(s)\"."
        case (let s?, nil): "No secrets declared in stack \"\(s)\"."
        case (nil, let c?): "No secrets declared for component \"\(c)\" in any stack."
        case (nil, nil): "No secrets declared in any stack."
        }
    }
}

/// A plain aligned table with a header rule, for terminals.
enum TextTable {
    static func render(headers: [String], rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows { for (i, f) in row.enumerated() { widths[i] = max(widths[i], f.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ") + "\n"
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        return line(headers) + rule + rows.map(line).joined()
    }
}
