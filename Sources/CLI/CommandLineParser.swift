/// Sorts a command line into a `ParsedArguments` by walking a tree of `CommandSpec`s: plain array and string work,
/// no reflection, so that `cloak exec` pays next to nothing for it.
///
/// Accepted spellings: `--name value`, `--name=value`, `-n value`, `-nvalue`, `-abc` for short flags, `-h`/`--help`
/// anywhere before `--`, and `--` after which every word is passthrough (or positional, for a command without
/// passthrough). A word starting with `-` is never taken as an option's value unless it is `-` itself or is
/// attached with `=`, so a forgotten value is reported rather than swallowing the next option.
public enum CommandLineParser {
    /// Parses `words` (the arguments after the program name) against the tree under `root`.
    public static func parse(_ words: [String], root: CommandSpec) throws(CommandLineError) -> ParseOutcome {
        var path = [root]
        var index = 0
        // `help` is only special as the first word: further down it may be a value (a secret called help).
        if words.first == "help", root.subcommand(named: "help") == nil {
            var helpPath = [root]
            for word in words.dropFirst() {
                guard let sub = helpPath[helpPath.count - 1].subcommand(named: word) else {
                    throw CommandLineError("unknown command '\(word)'", command: pathName(helpPath))
                }
                helpPath.append(sub)
            }
            return .help(helpPath)
        }
        while !path[path.count - 1].subcommands.isEmpty {
            let current = path[path.count - 1]
            if index < words.count, let sub = current.subcommand(named: words[index]) {
                path.append(sub)
                index += 1
                continue
            }
            if index < words.count, isHelp(words[index]) { return .help(path) }
            guard let name = current.defaultSubcommand, let sub = current.subcommand(named: name) else { break }
            path.append(sub)
        }
        let end = words[index...].firstIndex(of: "--") ?? words.count
        if words[index..<end].contains(where: isHelp) { return .help(path) }
        let command = path[path.count - 1]
        if command.run == nil {
            guard index < words.count else { return .help(path) }
            let word = words[index]
            let message = word.hasPrefix("-") ? "unknown option '\(word)'" : "unknown command '\(word)'"
            throw CommandLineError(message, command: pathName(path))
        }
        return .run(try parseCommand(words, from: index, path: path))
    }

    /// Whether `word` asks for help.
    static func isHelp(_ word: String) -> Bool { word == "-h" || word == "--help" }

    /// `cloak sops encrypt`.
    static func pathName(_ path: [CommandSpec]) -> String { path.map(\.name).joined(separator: " ") }

    /// Options, positional words and passthrough of the command at the end of `path`, from `words[start...]`.
    private static func parseCommand(_ words: [String], from start: Int, path: [CommandSpec]) throws(CommandLineError) -> ParsedArguments {
        let command = path[path.count - 1]
        let name = pathName(path)
        var parsed = ParsedArguments(path: path)
        var positional: [String] = []
        var index = start
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "--" {
                if command.passthrough != nil {
                    parsed.passthrough = Array(words[index...])
                } else {
                    positional += words[index...]
                }
                break
            }
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let equals = body.firstIndex(of: "=")
                let optionName = equals.map { body[..<$0] } ?? body
                guard let option = command.option(long: optionName) else {
                    throw CommandLineError("unknown option '--\(optionName)'", command: name)
                }
                let inline = equals.map { String(body[body.index(after: $0)...]) }
                try take(option, spelled: "--\(optionName)", inline: inline, words, &index, into: &parsed, command: name)
            } else if word.count > 1, word.hasPrefix("-") {
                try takeShort(word, words, &index, into: &parsed, command: name)
            } else {
                positional.append(word)
            }
        }
        try assign(positional, into: &parsed, command: name)
        for (i, option) in command.options.enumerated() where option.isRequired && parsed.optionValues[i].isEmpty {
            throw CommandLineError("missing required option '\(option.displayName) <\(option.valueName)>'", command: name)
        }
        return parsed
    }

    /// `-s dev`, `-sdev`, or a cluster of flags such as `-fv`.
    private static func takeShort(
        _ word: String, _ words: [String], _ index: inout Int, into parsed: inout ParsedArguments, command name: String
    ) throws(CommandLineError) {
        let command = parsed.command
        let letters = Array(word.dropFirst())
        for (position, letter) in letters.enumerated() {
            guard let option = command.option(short: letter) else {
                throw CommandLineError("unknown option '-\(letter)'", command: name)
            }
            if command.options[option].kind == .flag {
                try take(option, spelled: "-\(letter)", inline: nil, words, &index, into: &parsed, command: name)
                continue
            }
            let rest = String(letters[(position + 1)...])
            try take(option, spelled: "-\(letter)", inline: rest.isEmpty ? nil : rest, words, &index, into: &parsed, command: name)
            return
        }
    }

    /// Records one occurrence of the option at `option` in `command.options`, reading its value from `inline` or
    /// from the next word.
    private static func take(
        _ option: Int, spelled spelling: String, inline: String?, _ words: [String], _ index: inout Int,
        into parsed: inout ParsedArguments, command name: String
    ) throws(CommandLineError) {
        let spec = parsed.command.options[option]
        if spec.kind == .flag {
            guard inline == nil else { throw CommandLineError("'\(spelling)' takes no value", command: name) }
            parsed.optionValues[option].append("")
            return
        }
        let value: String
        if let inline {
            value = inline
        } else {
            guard index < words.count, !looksLikeOption(words[index]) else {
                throw CommandLineError("missing value for '\(spelling) <\(spec.valueName)>'", command: name)
            }
            value = words[index]
            index += 1
        }
        if spec.kind == .value, !parsed.optionValues[option].isEmpty {
            throw CommandLineError("'\(spelling)' given more than once", command: name)
        }
        if !spec.choices.isEmpty, !spec.choices.contains(value) {
            let expected = spec.choices.count == 2
                ? "\(spec.choices[0]) or \(spec.choices[1])" : spec.choices.joined(separator: ", ")
            throw CommandLineError("invalid value '\(value)' for '\(spelling)': expected \(expected)", command: name)
        }
        parsed.optionValues[option].append(value)
    }

    /// An option or `--`, which cannot be an option's value when given as a separate word.
    private static func looksLikeOption(_ word: String) -> Bool {
        word.count > 1 && word.hasPrefix("-")
    }

    /// Gives the positional words to the declared arguments in order.
    private static func assign(_ positional: [String], into parsed: inout ParsedArguments, command name: String) throws(CommandLineError) {
        var next = 0
        for (i, argument) in parsed.command.arguments.enumerated() {
            switch argument.kind {
            case .required:
                guard next < positional.count else { throw CommandLineError("missing argument <\(argument.name)>", command: name) }
                parsed.argumentValues[i] = [positional[next]]
                next += 1
            case .optional:
                if next < positional.count {
                    parsed.argumentValues[i] = [positional[next]]
                    next += 1
                }
            case .variadic:
                parsed.argumentValues[i] = Array(positional[next...])
                next = positional.count
            }
        }
        guard next < positional.count else { return }
        if !parsed.command.subcommands.isEmpty {
            throw CommandLineError("unknown command '\(positional[next])'", command: name)
        }
        // The extra words are not repeated: `cloak set NAME hunter2` must not print the value it was given.
        let extra = positional.count - next
        var message = "\(extra) more argument\(extra == 1 ? "" : "s") than '\(name)' takes (not shown: they may hold a secret)"
        if parsed.command.passthrough != nil { message += "; the command to run goes after --" }
        throw CommandLineError(message, command: name)
    }
}
