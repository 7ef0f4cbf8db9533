import CCloakLinux
public import Core

/// Process hardening for cloak: a seccomp filter for the child (`preLaunchHook`) and hygiene for cloak itself
/// (`hardenSelf`, `memoryLockStatus`). The threat model and how to verify each claim are in docs/SECURITY.md.
///
/// How the CLI uses it:
///
///     try Sandbox.hardenSelf()                                   // first thing at start-up
///     if let warning = Sandbox.memoryLockStatus().warning { printError(warning) }
///     if let name = harden {                                     // --harden PROFILE
///         options.preLaunch = try Sandbox.preLaunchHook(SeccompProfile(name: name))
///     }
public enum Sandbox {
    /// The shape of Injector's `PreLaunchHook` (Sandbox sits below Injector, so it names the function type
    /// itself; the two are the same type).
    public typealias Hook = @Sendable () throws(CloakError) -> Void

    /// Compiles `profile` now and returns a hook that installs it on the calling thread, without TSYNC.
    ///
    /// Pass it as `LaunchOptions.preLaunch`. Supervised, it runs on the dedicated spawn thread right before
    /// `posix_spawn`, so only that thread and the child are filtered and cloak keeps its own abilities. In exec
    /// mode it runs right before `execve`, so cloak becomes the filtered child. The hook does not allocate.
    public static func preLaunchHook(_ profile: SeccompProfile) throws(CloakError) -> Hook {
        let filter = try SeccompFilter(profile)
        return { () throws(CloakError) in try filter.install() }
    }

    /// The calling thread's seccomp mode: 0 none, 2 filter (what `Seccomp:` in /proc/thread-self/status shows).
    public static func currentThreadSeccompMode() -> Int32 {
        ccloak_seccomp_mode()
    }
}
