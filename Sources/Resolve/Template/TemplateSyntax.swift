/// The parsed form of a template: Go's `text/template/parse` node kinds that this subset supports.
indirect enum TemplateNode: Sendable {
    /// Text outside actions, verbatim (after trim markers).
    case text(String)
    /// `{{ pipeline }}`: prints the value unless the pipeline declares or assigns a variable.
    case action(TemplatePipeline)
    /// `{{ if }}` or `{{ with }}` with an optional else branch (`else if` / `else with` nest here).
    case conditional(isWith: Bool, TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?)
    /// `{{ range }}` with an optional else branch for an empty collection.
    case range(TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?)
    /// `{{ template "name" pipeline }}` (also what `{{ block }}` becomes).
    case include(name: String, TemplatePipeline?, start: Int)
    /// `{{ break }}`.
    case breakLoop
    /// `{{ continue }}`.
    case continueLoop
}

/// Commands joined by `|`, optionally declaring (`:=`) or assigning (`=`) variables.
struct TemplatePipeline: Sendable {
    var declarations: [String]
    var isAssignment: Bool
    var commands: [TemplateCommand]
    var start: Int
    var end: Int
}

/// One stage of a pipeline: a function and its arguments, or a single operand.
struct TemplateCommand: Sendable {
    var arguments: [TemplateArgument]
    var start: Int
    var end: Int
}

/// An operand with its source span, for error context like `<.vars.x>`.
struct TemplateArgument: Sendable {
    var operand: TemplateOperand
    var start: Int
    var end: Int
}

/// What an operand evaluates.
indirect enum TemplateOperand: Sendable {
    /// `.`
    case dot
    /// `nil`
    case null
    /// A string, number, character or boolean constant.
    case literal(TemplateValue)
    /// `.a.b` on dot.
    case field([String])
    /// `$x.a.b` (or `$`).
    case variable(String, [String])
    /// A function name.
    case function(String)
    /// `(pipeline)` optionally followed by fields.
    case parenthesized(TemplatePipeline, [String])
}
