public import Core
public import YAML

/// A Go `text/template` subset with sprig functions, as Atmos uses for `name_template`, import contexts and
/// `.tmpl` manifests.
///
/// Supported: `{{ }}` actions with `{{-`/`-}}` trimming, comments, fields, variables, pipelines, parentheses,
/// literals, `if`/`else if`/`with`/`range` (with `else`, `break`, `continue`), `define`/`template`/`block`. A
/// missing map key is an error (Go's `missingkey=error`). Errors name the template and the line:column of the
/// offending action, shifted onto `base` when the template is embedded in a YAML file.
public struct GoTemplate: Sendable {
    /// The name errors report.
    public let name: String
    private let source: TemplateSource
    private let root: [TemplateNode]
    private let definitions: [String: [TemplateNode]]

    /// Parses a template.
    ///
    /// - Parameters:
    ///   - text: The template source.
    ///   - name: The name shown in errors (and the file of error locations when `base` is `nil`).
    ///   - base: Where the template text starts in a file; error locations are then offset from it.
    ///   - functions: The functions the template may call; an unknown name is a parse error.
    public init(
        _ text: String, name: String, base: SourceLocation? = nil, functions: TemplateFunctions = .standard
    ) throws(CloakError) {
        self.name = name
        source = TemplateSource(text: text, name: name, base: base)
        var lexer = TemplateLexer(source: source)
        let items = try lexer.tokenize()
        var parser = TemplateParser(source: source, items: items, isFunction: functions.contains)
        root = try parser.parseRoot()
        definitions = parser.definitions
    }

    /// Renders with a document tree as the data (`.`), typed as Go's YAML decoding into `any` would type it.
    ///
    /// - Parameters:
    ///   - data: The root value.
    ///   - functions: The functions available during execution.
    ///   - environment: What `env` reads; `nil` reads the process environment.
    public func render(
        _ data: Node, functions: TemplateFunctions = .standard, environment: [String: String]? = nil
    ) throws(CloakError) -> String {
        try render(value: TemplateValue(data), functions: functions, environment: environment)
    }

    /// Renders with a template value as the data.
    public func render(
        value data: TemplateValue, functions: TemplateFunctions = .standard, environment: [String: String]? = nil
    ) throws(CloakError) -> String {
        var functions = functions
        if let environment { functions["env"] = SprigFunctions.environmentFunction(environment) }
        var executor = TemplateExecutor(source: source, definitions: definitions, functions: functions)
        try executor.execute(root, data: data)
        return executor.output
    }
}
