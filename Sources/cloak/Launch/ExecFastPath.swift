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
        var seen: [String] = []
        var i = 1
        while i < terminator {
            var name = arguments[i]
            var inline: String?
            if name.hasPrefix("--"), let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = Option(name) else { return nil }
            if option != .configPath {
                guard !seen.contains(option.rawValue) else { return nil }
                seen.append(option.rawValue)
            }
            if option.isFlag {
                guard inline == nil else { return nil }
                option.apply(nil, to: &request)
                i += 1
                continue
            }
            let value: String
            if let inline {
                value = inline
                i += 1
            } else {
                guard i + 1 < terminator else { return nil }
                value = arguments[i + 1]
                i += 2
            }
            guard !value.hasPrefix("-"), option.apply(value, to: &request) else { return nil }
        }
        return request
    }

    /// Every option `exec` accepts, by its long name.
    private enum Option: String {
        case stack, component, type, identity, mask, basePath = "base-path", configPath = "config-path"
        case pristine, strict, maskOutput = "mask-output", noGitHubMask = "no-github-mask", supervise, harden
        case killTimeout = "kill-timeout", hardenProfile = "harden-profile", watch, onChange = "on-change"

        /// The option a spelling names: `--long`, the `-s`/`-c`/`-i` short forms, `--config` for `--config-path`.
        init?(_ spelling: String) {
            switch spelling {
            case "-s": self = .stack
            case "-c": self = .component
            case "-i": self = .identity
            case "--config": self = .configPath
            default:
                guard spelling.hasPrefix("--"), let option = Option(rawValue: String(spelling.dropFirst(2))) else { return nil }
                self = option
            }
        }

        var isFlag: Bool {
            switch self {
            case .pristine, .strict, .maskOutput, .noGitHubMask, .supervise, .harden: true
            default: false
            }
        }

        /// Stores the value (nil for flags); false when it is not valid for the option (ArgumentParser then says so).
        @discardableResult
        func apply(_ value: String?, to r: inout Request) -> Bool {
            let v = value ?? ""
            switch self {
            case .stack: r.scope.stack = v
            case .component: r.scope.component = v
            case .type: r.scope.type = v
            case .identity: r.scope.identity = v
            case .mask:
                guard let b = Bool(v) else { return false }
                r.scope.mask = b
            case .basePath: r.scope.basePath = v
            case .configPath: r.scope.configPaths.append(v)
            case .pristine: r.flags.pristine = true
            case .strict: r.flags.strict = true
            case .maskOutput: r.flags.maskOutput = true
            case .noGitHubMask: r.flags.noGitHubMask = true
            case .supervise: r.flags.supervise = true
            case .harden: r.flags.harden = true
            case .killTimeout: r.flags.killTimeout = v
            case .hardenProfile: r.flags.hardenProfile = v
            case .watch: r.watch.watch = v
            case .onChange: r.watch.onChange = v
            }
            return true
        }
    }
}
