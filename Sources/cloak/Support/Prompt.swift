import Core

#if canImport(Glibc)
import Glibc
#endif

/// Terminal prompts.
enum Prompt {
    /// Reads one line from the terminal with echo off; the bytes are the caller's to wipe.
    static func readHidden(_ prompt: String) throws(CloakError) -> [UInt8] {
        Console.errNoNewline(prompt)
        var saved = termios()
        let hasTerminal = tcgetattr(0, &saved) == 0
        if hasTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &quiet)
        }
        defer {
            if hasTerminal { tcsetattr(0, TCSAFLUSH, &saved) }
            Console.err("")
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || byte == 0x0A { break }
            if byte != 0x0D { line.append(byte) }
        }
        return line
    }

    /// Asks a yes/no question; default no. Throws when stdin is not a terminal.
    static func confirm(_ question: String) throws(CloakError) -> Bool {
        guard Console.stdinIsTerminal || Environment.process["ATMOS_FORCE_TTY"] == "true" else {
            throw CloakError(.usage, "confirmation prompt failed: stdin is not a terminal (use --force)")
        }
        Console.errNoNewline("\(question) [y/N]: ")
        guard let answer = readLine()?.trimmingWhitespaceAndNewlines().lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }
}
