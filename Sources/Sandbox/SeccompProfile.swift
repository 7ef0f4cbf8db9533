public import Core

/// Which seccomp filter `--harden PROFILE` puts on the child, and what a match does.
///
/// Every profile allows everything by default and singles out the calls a secret-holding child has no business
/// making: inspecting other processes, loading kernel code, kernel keyrings, mounting. `strict` adds io_uring,
/// personality changes and unprivileged user namespaces. See docs/SECURITY.md for the full list.
public struct SeccompProfile: Sendable, Hashable, CustomStringConvertible {
    /// How many calls the profile singles out.
    public enum Level: String, Sendable, Hashable, CaseIterable {
        /// Cross-process inspection, kernel code, keyrings, mounts, reboot/swap/accounting.
        case `default`
        /// `default` plus io_uring, personality other than query/PER_LINUX, user namespaces, `setns`.
        case strict
    }

    /// What a singled-out call gets.
    public enum Action: String, Sendable, Hashable {
        /// The call fails with EPERM (clone3 under `strict`: ENOSYS, so libc falls back to clone).
        case deny
        /// The call goes through and the kernel logs it (`SCMP_ACT_LOG`: audit log / dmesg).
        case log
    }

    /// The set of calls.
    public var level: Level
    /// What happens on a match.
    public var action: Action

    /// A profile from its parts.
    public init(level: Level, action: Action = .deny) {
        self.level = level
        self.action = action
    }

    /// The default profile, denying with EPERM.
    public static let `default` = SeccompProfile(level: .default)
    /// The strict profile, denying with EPERM.
    public static let strict = SeccompProfile(level: .strict)
    /// The default profile's calls, logged and let through (to try `--harden` on a workload first).
    public static let log = SeccompProfile(level: .default, action: .log)
    /// The strict profile's calls, logged and let through.
    public static let strictLog = SeccompProfile(level: .strict, action: .log)

    /// The names `--harden` accepts, in the order help text should list them.
    public static let names = ["default", "strict", "log", "strict-log"]

    /// Parses a `--harden` value (`default`, `strict`, `log`, `strict-log`).
    public init(name: String) throws(CloakError) {
        switch name {
        case "default": self = .default
        case "strict": self = .strict
        case "log": self = .log
        case "strict-log": self = .strictLog
        default:
            throw CloakError(
                .usage,
                "unknown hardening profile '\(name)' (expected \(Self.names.joined(separator: ", ")))"
            )
        }
    }

    /// The `--harden` name of this profile.
    public var description: String {
        switch (level, action) {
        case (.default, .deny): "default"
        case (.strict, .deny): "strict"
        case (.default, .log): "log"
        case (.strict, .log): "strict-log"
        }
    }
}
