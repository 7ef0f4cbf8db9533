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

extension Console {
    /// Writes plaintext secret bytes to stdout, then wipes the buffer.
    static func writeSecret(_ copy: inout [UInt8]) {
        copy.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = Glibc.write(1, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += n
            }
        }
        for i in copy.indices { copy[i] = 0 }
    }

    /// Reads all of stdin.
    static func readAllStdin() -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}

extension String {
    /// Without leading/trailing spaces, tabs and newlines.
    func trimmingWhitespaceAndNewlines() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension Console {
    /// Writes to stderr without a newline (prompts).
    static func errNoNewline(_ text: String) {
        var copy = text
        copy.withUTF8 { buf in
            if let base = buf.baseAddress { _ = Glibc.write(2, base, buf.count) }
        }
    }
}
