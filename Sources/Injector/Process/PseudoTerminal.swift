import CCloakLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal pair: cloak keeps the master, the child opens the slave by name as its controlling terminal.
final class PseudoTerminal {
    /// Master side (close-on-exec, never inherited).
    let master: Int32
    /// Path of the slave, e.g. /dev/pts/7.
    let slavePath: String

    /// posix_openpt, grantpt, unlockpt, ptsname.
    init() throws(LaunchError) {
        var name = [CChar](repeating: 0, count: 128)
        let fd = ccloak_pty_open(&name, name.count)
        if fd < 0 { throw .spawn("cannot open a pseudo-terminal: \(String(cString: strerror(-fd)))") }
        master = fd
        slavePath = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit { close(master) }

    /// Gives the slave the termios of `terminal` (so the child sees the user's erase/kill characters) and its
    /// window size. On Linux the master's termios and size are the slave's.
    func inherit(from terminal: Int32, size sizeSource: Int32) {
        if isatty(terminal) == 1 { _ = ccloak_tty_copy_termios(terminal, master) }
        _ = ccloak_tty_copy_winsize(sizeSource, master)
    }

    /// Copies the window size again (SIGWINCH); the kernel then signals the child's foreground group.
    func resize(from sizeSource: Int32) { _ = ccloak_tty_copy_winsize(sizeSource, master) }

    /// The foreground process group on the slave side, or nil.
    var foregroundGroup: pid_t? {
        let group = ccloak_tty_foreground_group(master)
        return group > 0 ? group : nil
    }
}
