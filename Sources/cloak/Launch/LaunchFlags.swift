import CLI
import Core
import Injector

/// Flags shared by `exec`, `shell` and the component runners.
struct LaunchFlags {
    static let pristine = OptionSpec.flag(
        "pristine", help: "Start from a minimal environment (PATH, HOME, USER, TERM, LANG, TZ) instead of cloak's own.")
    static let strict = OptionSpec.flag(
        "strict", help: "Stop before starting anything if any declared secret cannot be resolved (not only required ones).")
    static let maskOutput = OptionSpec.flag("mask-output", help: "Mask secret values (and their encodings) in the child's output.")
    static let noGitHubMask = OptionSpec.flag("no-github-mask", help: "On GitHub Actions, do not print ::add-mask:: lines.")
    static let killTimeout = OptionSpec.value(
        "kill-timeout", help: "After forwarding a terminating signal, SIGKILL the child's group after this long (e.g. 30s, 2m).")
    static let supervise = OptionSpec.flag("supervise", help: "Stay resident even when nothing requires it (cloak normally execs in place).")
    static let harden = OptionSpec.flag(
        "harden",
        help: "Start the child under a seccomp filter that denies process inspection and kernel-surface syscalls (also settings.secrets.harden).")
    static let hardenProfile = OptionSpec.value("harden-profile", help: "default, strict, log or strict-log (implies --harden).")
    /// The options, for a command's spec.
    static let options = [pristine, strict, maskOutput, noGitHubMask, killTimeout, supervise, harden, hardenProfile]

    var pristine: Bool
    var strict: Bool
    var maskOutput: Bool
    var noGitHubMask: Bool
    var killTimeout: String?
    var supervise: Bool
    var harden: Bool
    var hardenProfile: String?

    /// Reads the options from a parsed command line.
    init(_ arguments: ParsedArguments) {
        pristine = arguments.flag(Self.pristine)
        strict = arguments.flag(Self.strict)
        maskOutput = arguments.flag(Self.maskOutput)
        noGitHubMask = arguments.flag(Self.noGitHubMask)
        killTimeout = arguments.string(Self.killTimeout)
        supervise = arguments.flag(Self.supervise)
        harden = arguments.flag(Self.harden)
        hardenProfile = arguments.string(Self.hardenProfile)
    }

    /// The parsed values.
    var settings: LaunchSettings {
        LaunchSettings(
            pristine: pristine, strict: strict, maskOutput: maskOutput, noGitHubMask: noGitHubMask,
            killTimeout: killTimeout, supervise: supervise, harden: harden, hardenProfile: hardenProfile)
    }
}

/// How to launch the child: the values of `LaunchFlags`.
struct LaunchSettings {
    var pristine = false
    var strict = false
    var maskOutput = false
    var noGitHubMask = false
    var killTimeout: String?
    var supervise = false
    var harden = false
    var hardenProfile: String?

    /// `--kill-timeout` parsed as a duration.
    func timeout() throws(CloakError) -> Duration? {
        guard let killTimeout else { return nil }
        return try DurationText.parse(killTimeout, flag: "--kill-timeout")
    }
}

/// `30s`, `2m`, `1h`, `500ms` or a bare number of seconds.
enum DurationText {
    static func parse(_ text: String, flag: String) throws(CloakError) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let n = Double(text.dropLast(suffix.count)), n >= 0 { return .milliseconds(Int64(n * scale * 1000)) }
        }
        if let n = Double(text), n >= 0 { return .milliseconds(Int64(n * 1000)) }
        throw CloakError(.usage, "\(flag) \(text): expected a duration like 30s, 2m or 500ms")
    }
}
