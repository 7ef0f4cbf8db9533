import ArgumentParser
import Core
import Injector

/// Flags shared by `exec`, `shell` and the component runners.
struct LaunchFlags: ParsableArguments {
    @Flag(help: "Start from a minimal environment (PATH, HOME, USER, TERM, LANG, TZ) instead of cloak's own.")
    var pristine = false
    @Flag(help: "Stop before starting anything if any declared secret cannot be resolved (not only required ones).")
    var strict = false
    @Flag(name: .customLong("mask-output"), help: "Mask secret values (and their encodings) in the child's output.")
    var maskOutput = false
    @Flag(name: .customLong("no-github-mask"), help: "On GitHub Actions, do not print ::add-mask:: lines.")
    var noGitHubMask = false
    @Option(name: .customLong("kill-timeout"), help: "After forwarding a terminating signal, SIGKILL the child's group after this long (e.g. 30s, 2m).")
    var killTimeout: String?
    @Flag(help: "Stay resident even when nothing requires it (cloak normally execs in place).")
    var supervise = false
    @Flag(help: "Start the child under a seccomp filter that denies process inspection and kernel-surface syscalls (also settings.secrets.harden).")
    var harden = false
    @Option(name: .customLong("harden-profile"), help: "default, strict, log or strict-log (implies --harden).")
    var hardenProfile: String?

    /// The parsed values.
    var settings: LaunchSettings {
        LaunchSettings(
            pristine: pristine, strict: strict, maskOutput: maskOutput, noGitHubMask: noGitHubMask,
            killTimeout: killTimeout, supervise: supervise, harden: harden, hardenProfile: hardenProfile)
    }
}

/// How to launch the child: the values of `LaunchFlags` (or of `ExecFastPath`).
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
