/// `cloak exec … -- CMD` read without ArgumentParser.
///
/// `exec` wraps every step of a deploy, so its start-up time is paid on every run — and ArgumentParser spends ~3 ms
/// building its command tree and reflecting over the option structs (docs/BENCHMARKS.md). This parser accepts only
/// the plain spellings of `exec`'s own options (`-s X`, `--stack X`, `--stack=X`, flags) followed by `--` and the
/// command; anything else — `--help`, an unknown or repeated option, a missing value, no `--` — returns nil and
/// ArgumentParser parses the line as usual, with its own messages. So the fast path never changes what a command
/// line means, it only skips work. `CLOAK_ARGV_FAST_PATH=0` turns it off and `=trace` says when it is used (the parity tests compare both paths).
enum ExecFastPath {
    /// What `exec` needs to run.
    struct Request {
        var scope = Scope()
        var flags = LaunchSettings()
        var watch = WatchSettings()
        var command: [String] = []
    }

    /// Parses the arguments after the program name, or returns nil to leave them to ArgumentParser.
    static func parse(_ arguments: [String]) -> Request? {
        guard arguments.first == "exec", let terminator = arguments.firstIndex(of: "--") else { return nil }
        var request = Request()
        request.command = Array(arguments[(terminator + 1)...])
        guard !request.command.isEmpty else { return nil }
        var seen: Swift.Set<String> = []
        var i = 1
        while i < terminator {
            var name = arguments[i]
            var inline: String?
            if name.hasPrefix("--"), let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = options[name], option.repeatable || seen.insert(option.key).inserted else { return nil }
            switch option.kind {
            case .flag(let set):
                guard inline == nil else { return nil }
                set(&request)
                i += 1
            case .value(let set):
                let value: String
                if let inline {
                    value = inline
                    i += 1
                } else {
                    guard i + 1 < terminator else { return nil }
                    value = arguments[i + 1]
                    i += 2
                }
                guard !value.hasPrefix("-"), set(&request, value) else { return nil }
            }
        }
        return request
    }

    private enum Kind: Sendable {
        case flag(@Sendable (inout Request) -> Void)
        /// Returns false when the value is not valid for the option (ArgumentParser then reports it).
        case value(@Sendable (inout Request, String) -> Bool)
    }

    private struct Option: Sendable {
        /// Spellings of one option share a key, so `-s a --stack b` is a repeat.
        let key: String
        let kind: Kind
        /// Options that collect every occurrence (`--config-path a --config-path b`).
        var repeatable = false
    }

    private static let options: [String: Option] = {
        var table: [String: Option] = [:]
        func add(_ names: [String], repeatable: Bool = false, _ kind: Kind) {
            for name in names { table[name] = Option(key: names[0], kind: kind, repeatable: repeatable) }
        }
        add(["--stack", "-s"], .value { r, v in r.scope.stack = v; return true })
        add(["--component", "-c"], .value { r, v in r.scope.component = v; return true })
        add(["--type"], .value { r, v in r.scope.type = v; return true })
        add(["--identity", "-i"], .value { r, v in r.scope.identity = v; return true })
        add(["--mask"], .value { r, v in
            guard let b = Bool(v) else { return false }
            r.scope.mask = b
            return true
        })
        add(["--base-path"], .value { r, v in r.scope.basePath = v; return true })
        add(["--config-path", "--config"], repeatable: true, .value { r, v in r.scope.configPaths.append(v); return true })
        add(["--pristine"], .flag { $0.flags.pristine = true })
        add(["--strict"], .flag { $0.flags.strict = true })
        add(["--mask-output"], .flag { $0.flags.maskOutput = true })
        add(["--no-github-mask"], .flag { $0.flags.noGitHubMask = true })
        add(["--supervise"], .flag { $0.flags.supervise = true })
        add(["--harden"], .flag { $0.flags.harden = true })
        add(["--kill-timeout"], .value { r, v in r.flags.killTimeout = v; return true })
        add(["--harden-profile"], .value { r, v in r.flags.hardenProfile = v; return true })
        add(["--watch"], .value { r, v in r.watch.watch = v; return true })
        add(["--on-change"], .value { r, v in r.watch.onChange = v; return true })
        return table
    }()
}
