import CCloakLinux
public import Core

/// GitHub Actions workflow commands: registering values with the runner's own log masking.
public enum GitHubActions {
    /// True when running inside a GitHub Actions job (`GITHUB_ACTIONS=true`).
    public static func isActive(_ environment: Environment) -> Bool { environment["GITHUB_ACTIONS"] == "true" }

    /// `::add-mask::VALUE` lines (each ending in `\n`) for `values`. A multi-line value is registered line by
    /// line (the runner matches single lines); data is escaped per the workflow-command rules (`%` → `%25`,
    /// `\r` → `%0D`, `\n` → `%0A`); empty and blank lines are skipped (the runner rejects empty masks and a
    /// blank one would hide every space); duplicates appear once. The result holds secrets, so it is itself a
    /// `SecretBytes`: write it to stdout and drop it.
    public static func addMaskCommands(for values: [SecretBytes]) -> SecretBytes {
        var lines: [[UInt8]] = []
        for value in values {
            value.withUnsafeBytes { buf in
                var start = 0
                for i in 0...buf.count where i == buf.count || buf[i] == 10 {
                    var end = i
                    if end > start && buf[end - 1] == 13 { end -= 1 }  // CRLF line ending
                    let line = Array(buf[start..<end])
                    start = i + 1
                    if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                    if !lines.contains(line) { lines.append(line) }
                }
            }
        }
        let prefix = Array("::add-mask::".utf8)
        var out: [UInt8] = []
        for line in lines {
            out.append(contentsOf: prefix)
            for b in line {
                switch b {
                case 37: out.append(contentsOf: [37, 50, 53])  // %25
                case 13: out.append(contentsOf: [37, 48, 68])  // %0D
                case 10: out.append(contentsOf: [37, 48, 65])  // %0A
                default: out.append(b)
                }
            }
            out.append(10)
        }
        for i in lines.indices { lines[i].withUnsafeMutableBytes { ccloak_wipe($0.baseAddress, $0.count) } }
        return SecretBytes(consuming: &out)
    }
}
