import Core

#if canImport(Glibc)
import Glibc
#endif

/// The only place that writes to the terminal: whole strings to fd 1 or fd 2 with write(2).
enum Console {
    /// Writes `text` to stdout as is.
    static func out(_ text: String) {
        write(fd: 1, text)
    }

    /// Writes one line to stderr.
    static func err(_ line: String) {
        write(fd: 2, line + "\n")
    }

    /// Whether stdout is a terminal.
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Whether stdin is a terminal.
    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    private static func write(fd: Int32, _ text: String) {
        var copy = text
        copy.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                guard let base = buffer.baseAddress else { return }
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
