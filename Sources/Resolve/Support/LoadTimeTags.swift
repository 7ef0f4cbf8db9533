/// Whether manifest text uses a YAML function that reads outside the file (`!env`, `!exec`, `!include`,
/// `!repo-root`, `!cwd`), which makes the stack index cache unsafe for it.
///
/// One pass over the bytes looking at each `!`: `String.contains(String)` goes through the generic string-search
/// machinery and cost ~0.5 ms per `cloak exec` (five searches per manifest).
enum LoadTimeTags {
    private static let names: [[UInt8]] = ["env", "exec", "include", "repo-root", "cwd"].map { Array($0.utf8) }

    static func present(in text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "!") {
                    for name in names where matches(bytes, at: i + 1, name) { return true }
                }
                i += 1
            }
            return false
        }
    }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ name: [UInt8]) -> Bool {
        guard start + name.count <= bytes.count else { return false }
        for (k, b) in name.enumerated() where bytes[start + k] != b { return false }
        return true
    }
}
