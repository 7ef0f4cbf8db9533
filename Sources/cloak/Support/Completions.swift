import ArgumentParser
import Core
import Resolve

/// Dynamic shell completion (bash, zsh, fish via `cloak --generate-completion-script SHELL`): stacks, components
/// of the stack typed so far, and the secrets that component declares. Errors complete to nothing.
enum Completions {
    static let stacks = CompletionKind.custom { (_: [String], _: Int, prefix: String) -> [String] in
        (try? catalog()?.entries().map(\.name))?.filter { $0.hasPrefix(prefix) } ?? []
    }

    static let components = CompletionKind.custom { (words: [String], _: Int, prefix: String) -> [String] in
        guard let stack = value(of: ["-s", "--stack"], in: words) ?? Environment.process.nonEmpty("ATMOS_STACK"),
            let names = try? catalog()?.componentNames(stack: stack)
        else { return [] }
        return names.map(\.name).filter { $0.hasPrefix(prefix) }
    }

    static let secrets = CompletionKind.custom { (words: [String], _: Int, prefix: String) -> [String] in
        guard let stack = value(of: ["-s", "--stack"], in: words) ?? Environment.process.nonEmpty("ATMOS_STACK"),
            let component = value(of: ["-c", "--component"], in: words) ?? Environment.process.nonEmpty("ATMOS_COMPONENT"),
            let catalog = try? catalog(), let resolved = try? catalog.component(component, stack: stack),
            let declarations = try? SecretDeclaration.parseAll(resolved.secrets)
        else { return [] }
        return declarations.map(\.name).filter { $0.hasPrefix(prefix) }
    }

    private static func catalog() throws -> StackCatalog? {
        let config = try ConfigLoader.load(ConfigOptions())
        return StackCatalog(config: config)
    }

    /// The value after the last occurrence of one of `flags` (`-s dev` or `--stack=dev`).
    static func value(of flags: [String], in words: [String]) -> String? {
        var found: String?
        for (i, word) in words.enumerated() {
            if flags.contains(word), i + 1 < words.count { found = words[i + 1] }
            for flag in flags where flag.hasPrefix("--") && word.hasPrefix(flag + "=") { found = String(word.dropFirst(flag.count + 1)) }
        }
        return found
    }
}
