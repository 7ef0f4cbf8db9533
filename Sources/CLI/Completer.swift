/// Computes completion candidates for the shell scripts of `CompletionScript`: the words of the line (without the
/// program name) and the index of the word under the cursor go in, one candidate per line comes out.
///
/// Lenient on purpose: a half-typed line is rarely valid, so it follows subcommands, skips option values and
/// counts positional words, and never reports an error.
public enum Completer {
    /// Candidates for `words[current]` (an empty string when the cursor starts a new word).
    public static func candidates(_ words: [String], current: Int, root: CommandSpec) -> [String] {
        guard current >= 0, current < words.count else { return [] }
        let prefix = words[current]
        var command = root
        var index = 0
        while index < current, let sub = command.subcommand(named: words[index]) {
            command = sub
            index += 1
        }
        if index == current, !command.subcommands.isEmpty, !prefix.hasPrefix("-") {
            let names = command.subcommands.filter { !$0.isHidden }.map(\.name)
            return names.filter { $0.hasPrefix(prefix) }
        }
        if let name = command.defaultSubcommand, let sub = command.subcommand(named: name) {
            command = sub
        }
        let before = words[..<current]
        if before[index...].contains("--") { return [] }

        // bash splits `--stack=ac` at the `=` (COMP_WORDBREAKS) and replaces only the part after it.
        if prefix == "=", current > index, let option = valueOption(named: words[current - 1], in: command) {
            return values(of: option, words: words, prefix: "")
        }
        if current > index + 1, words[current - 1] == "=", let option = valueOption(named: words[current - 2], in: command) {
            return values(of: option, words: words, prefix: prefix)
        }
        // zsh and fish hand over `--stack=ac` as one word, which the candidate replaces whole.
        if prefix.hasPrefix("--"), let equals = prefix.firstIndex(of: "=") {
            let name = prefix[prefix.index(prefix.startIndex, offsetBy: 2)..<equals]
            guard let option = command.option(long: name) else { return [] }
            let head = String(prefix[...equals])
            let valuePrefix = String(prefix[prefix.index(after: equals)...])
            return values(of: command.options[option], words: words, prefix: valuePrefix).map { head + $0 }
        }
        if current > index, let option = valueOption(named: words[current - 1], in: command) {
            return values(of: option, words: words, prefix: prefix)
        }
        if prefix.hasPrefix("-") {
            var names: [String] = []
            for option in command.options {
                names += option.longNames.map { "--" + $0 }
                if let short = option.short { names.append("-\(short)") }
            }
            names.append("--help")
            return names.filter { $0.hasPrefix(prefix) }
        }
        // Option values are skipped so that `get -s dev NA` still completes the first argument.
        var position = 0
        var i = index
        while i < current {
            let word = words[i]
            if word.count > 1, word.hasPrefix("-") {
                if valueOption(named: word, in: command) != nil { i += 1 }
            } else {
                position += 1
            }
            i += 1
        }
        var slot = 0
        for argument in command.arguments {
            if slot == position || argument.kind == .variadic { return filter(argument.completion, words: words, prefix: prefix) }
            slot += 1
        }
        return []
    }

    /// The option taking a separate value that `word` spells (`--stack`, `-s`), if any.
    private static func valueOption(named word: String, in command: CommandSpec) -> OptionSpec? {
        let index: Int?
        if word.hasPrefix("--") {
            guard !word.contains("=") else { return nil }
            index = command.option(long: word.dropFirst(2))
        } else if word.count == 2, word.hasPrefix("-"), let letter = word.last {
            index = command.option(short: letter)
        } else {
            index = nil
        }
        guard let index, command.options[index].kind != .flag else { return nil }
        return command.options[index]
    }

    private static func values(of option: OptionSpec, words: [String], prefix: String) -> [String] {
        if !option.choices.isEmpty { return option.choices.filter { $0.hasPrefix(prefix) } }
        return filter(option.completion, words: words, prefix: prefix)
    }

    private static func filter(_ kind: CompletionKind, words: [String], prefix: String) -> [String] {
        switch kind {
        case .none: []
        case .custom(let compute): compute(words, prefix).filter { $0.hasPrefix(prefix) }
        }
    }
}
