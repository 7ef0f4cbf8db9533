public import Core

/// A hook that runs on the thread that will start the child, right before `posix_spawn` (on a dedicated
/// short-lived thread) or `execve` (on the calling thread). The sandbox installs no_new_privs and its seccomp
/// filter here: a filter without TSYNC binds only that thread, and the child inherits it.
public typealias PreLaunchHook = @Sendable () throws(CloakError) -> Void

/// Whether supervised, masked output runs the child on a pseudo-terminal.
public enum PseudoTerminalPolicy: Sendable, Equatable {
    /// A PTY when cloak's stdout is a terminal, pipes otherwise.
    case automatic
    /// Always a PTY (the child always sees a terminal).
    case always
    /// Never: pipes for stdout and stderr.
    case never
}

/// How the launcher runs the child.
public enum LaunchStrategy: Sendable, Equatable {
    /// `execve` in place: cloak disappears; signals, exit status and the TTY are native.
    case exec
    /// cloak stays resident: spawns, forwards signals, masks output, cleans up, reports the outcome.
    case supervise
}

/// Options that decide the strategy and shape supervision.
public struct LaunchOptions: Sendable {
    /// Mask these values in the child's output (supervised only); nil leaves output untouched.
    public var masking: MaskSet?
    /// PTY or pipes when masking.
    public var pseudoTerminal: PseudoTerminalPolicy
    /// After a terminating signal (TERM, INT, HUP, QUIT) reached the child: SIGKILL it (its group when it has
    /// one) when it is still alive this long after.
    public var killTimeout: Duration?
    /// Start the child in a new process group and signal the group (non-interactive use: a child outside the
    /// terminal's foreground group stops when it reads the terminal).
    public var newProcessGroup: Bool
    /// Paths removed after the child ended (secret files on disk, when memfd cannot be used).
    public var filesToRemove: [String]
    /// The caller restarts the child on changes, so it must stay resident (only read by `strategy`).
    public var watch: Bool
    /// Force supervision even when nothing needs it.
    public var forceSupervise: Bool
    /// Runs on the spawning/exec'ing thread right before the child starts (see `PreLaunchHook`).
    public var preLaunch: PreLaunchHook?
    /// Runs in the supervisor right after the child started (cloak wipes the values it no longer needs there).
    public var afterSpawn: (@Sendable () -> Void)?

    /// Defaults: no masking, automatic PTY, no kill timeout, same process group, nothing to remove.
    public init(
        masking: MaskSet? = nil,
        pseudoTerminal: PseudoTerminalPolicy = .automatic,
        killTimeout: Duration? = nil,
        newProcessGroup: Bool = false,
        filesToRemove: [String] = [],
        watch: Bool = false,
        forceSupervise: Bool = false,
        preLaunch: PreLaunchHook? = nil
    ) {
        self.masking = masking
        self.pseudoTerminal = pseudoTerminal
        self.killTimeout = killTimeout
        self.newProcessGroup = newProcessGroup
        self.filesToRemove = filesToRemove
        self.watch = watch
        self.forceSupervise = forceSupervise
        self.preLaunch = preLaunch
    }
}
