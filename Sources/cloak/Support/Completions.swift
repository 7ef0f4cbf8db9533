import CLI
import Core
import Resolve

/// Dynamic shell completion values (see `Completer`): stacks, components of the stack typed so far, and the secrets
/// that component declares. The repository is found as the command would find it (`--config-path`,
/// `--base-path`, or discovery); any error completes to nothing.
enum Completions {
    static let stacks = CompletionKind.custom { words, _ in
        (try? catalog(words).entries().map(\.name)) ?? []
    }

    static let components = CompletionKind.custom { words, _ in
        guard let stack = value(of: ["-s", "--stack"], in: words) ?? Environment.process.nonEmpty("ATMOS_STACK"),
            let names = try? catalog(words).componentNames(stack: stack)
        else { return [] }
        return names.map(\.name)
    }

    static let secrets = CompletionKind.custom { words, _ in
        guard let stack = value(of: ["-s", "--stack"], in: words) ?? Environment.process.nonEmpty("ATMOS_STACK"),
            let component = value(of: ["-c", "--component"], in: words) ?? Environment.process.nonEmpty("ATMOS_COMPONENT"),
            let catalog = try? catalog(words), let resolved = try? catalog.component(component, stack: stack),
            let declarations = try? SecretDeclaration.parseAll(resolved.secrets)
        else { return [] }
        return declarations.map(\.name)
    }

    private static func catalog(_ words: [String]) throws -> StackCatalog {
        let options = ConfigOptions(
            configPaths: values(of: ["--config-path", "--config"], in: words), basePath: value(of: ["--base-path"], in: words))
        return StackCatalog(config: try ConfigLoader.load(options), environment: options.environment)
    }

    /// The value after the last occurrence of one of `flags` (`-s dev` or `--stack=dev`).
    static func value(of flags: [String], in words: [String]) -> String? {
        values(of: flags, in: words).last
    }

    /// The values after every occurrence of one of `flags`, in order.
    static func values(of flags: [String], in words: [String]) -> [String] {
        var found: [String] = []
        for (i, word) in words.enumerated() {
            if flags.contains(word), i + 1 < words.count, !words[i + 1].isEmpty { found.append(words[i + 1]) }
            for flag in flags where flag.hasPrefix("--") && word.hasPrefix(flag + "=") { found.append(String(word.dropFirst(flag.count + 1))) }
        }
        return found
    }
}
