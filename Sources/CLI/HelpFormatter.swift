/// Renders a command's help: OVERVIEW, USAGE, ARGUMENTS, OPTIONS and SUBCOMMANDS, wrapped at 80 columns.
public enum HelpFormatter {
    private static let width = 80
    /// Where the description column starts.
    private static let labelWidth = 28

    /// The help of the last command of `path`.
    public static func render(_ path: [CommandSpec]) -> String {
        let command = path[path.count - 1]
        let name = CommandLineParser.pathName(path)
        var out = ""
        if !command.abstract.isEmpty { out += wrap("OVERVIEW: " + command.abstract, indent: 0) + "\n\n" }
        if !command.discussion.isEmpty { out += wrap(command.discussion, indent: 0) + "\n\n" }
        out += wrap("USAGE: " + usage(command, name: name), indent: 7) + "\n"

        var arguments: [(String, String)] = command.arguments.map { ("<\($0.name)>", $0.help) }
        if let passthrough = command.passthrough { arguments.append(("<\(passthrough.name)>", passthrough.help)) }
        out += section("ARGUMENTS", arguments)

        var options: [(String, String)] = command.options.map { option in
            var help = option.help
            if let value = option.defaultValue { help += " (default: \(value))" }
            return (label(option), help)
        }
        options.append(("-h, --help", "Show help information."))
        out += section("OPTIONS", options)

        let subcommands = command.subcommands.filter { !$0.isHidden }.map { $0.resolved }.map { sub -> (String, String) in
            let names = ([sub.name] + sub.aliases).joined(separator: ", ")
            return (sub.name == command.defaultSubcommand ? "\(names) (default)" : names, sub.abstract)
        }
        out += section("SUBCOMMANDS", subcommands)
        if !subcommands.isEmpty { out += "\n  See '\(path[0].name) help <subcommand>' for detailed help.\n" }
        return out
    }

    /// `cloak exec [<options>] [-- <command> ...]`.
    public static func usage(_ command: CommandSpec, name: String) -> String {
        var parts = [name]
        if !command.subcommands.isEmpty {
            if !command.options.isEmpty { parts.append("[<options>]") }
            parts.append("<subcommand>")
            return parts.joined(separator: " ")
        }
        for option in command.options where option.isRequired { parts.append("--\(option.id) <\(option.valueName)>") }
        if command.options.contains(where: { !$0.isRequired }) { parts.append("[<options>]") }
        parts += command.arguments.map(\.usage)
        if let passthrough = command.passthrough { parts.append("[-- <\(passthrough.name)> ...]") }
        return parts.joined(separator: " ")
    }

    /// `-s, --stack <stack>`, `--config-path, --config <config-path>`, `--pristine`.
    private static func label(_ option: OptionSpec) -> String {
        var names = option.short.map { ["-\($0)"] } ?? []
        names += option.longNames.map { "--" + $0 }
        let text = names.joined(separator: ", ")
        return option.kind == .flag ? text : "\(text) <\(option.valueName)>"
    }

    private static func section(_ title: String, _ rows: [(String, String)]) -> String {
        guard !rows.isEmpty else { return "" }
        var out = "\n\(title):\n"
        for (label, help) in rows {
            let left = "  " + label
            if left.count + 2 <= labelWidth {
                out += wrap(left + String(repeating: " ", count: labelWidth - left.count) + help, indent: labelWidth) + "\n"
            } else {
                out += left + "\n" + wrap(String(repeating: " ", count: labelWidth) + help, indent: labelWidth) + "\n"
            }
        }
        return out
    }

    /// Breaks each line of `text` at spaces so that no line passes `width`; continuation lines start `indent`
    /// spaces in.
    private static func wrap(_ text: String, indent: Int) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineLength = 0
            var first = true
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let wordLength = word.count
                if first {
                    line = String(word)
                    lineLength = wordLength
                    first = false
                } else if lineLength > indent, lineLength + 1 + wordLength > width {
                    lines.append(line)
                    line = String(repeating: " ", count: indent) + word
                    lineLength = indent + wordLength
                } else {
                    line += " " + word
                    lineLength += 1 + wordLength
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
