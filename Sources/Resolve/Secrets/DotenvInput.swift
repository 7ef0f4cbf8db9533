public import Core
import YAML

/// Parses dotenv and flat-JSON input for `import`, `push` and `init --input` (Atmos rules, §2.7).
public enum DotenvInput {
    /// `KEY=value` lines: trimmed, blank lines and `#` comments skipped, lines without `=` ignored, an `export `
    /// prefix dropped, an inline comment starts at an unquoted `#` after a space or tab, and quotes are stripped
    /// from both ends of the value.
    public static func parseEnv(_ text: String) -> [(key: String, value: String)] {
        var out: [(String, String)] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            var key = String(line[..<eq]).trimmingWhitespace()
            if key.hasPrefix("export ") { key = String(key.dropFirst(7)).trimmingWhitespace() }
            var value = String(line[line.index(after: eq)...])
            value = stripInlineComment(value).trimmingWhitespace()
            while let f = value.first, f == "\"" || f == "'" { value.removeFirst() }
            while let l = value.last, l == "\"" || l == "'" { value.removeLast() }
            if !key.isEmpty { out.append((key, value)) }
        }
        return out
    }

    private static func stripInlineComment(_ value: String) -> String {
        var quote: Character?
        var previous: Character = " "
        var index = value.startIndex
        while index < value.endIndex {
            let c = value[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" && (previous == " " || previous == "\t") {
                return String(value[..<index])
            }
            previous = c
            index = value.index(after: index)
        }
        return value
    }

    /// A flat JSON object; non-string values become their JSON text (`2` → "2", `{"a":1}` → `{"a":1}`).
    public static func parseJSON(_ text: String, file: String) throws(CloakError) -> [(key: String, value: String)] {
        let node = try JSON.parse(text, file: file)
        guard let pairs = node.pairs else { throw CloakError(.usage, "\(file): expected a JSON object of NAME: value") }
        return pairs.compactMap { pair in
            guard let key = pair.key.scalarText else { return nil }
            if pair.value.isScalar, pair.value.scalarValue.isString { return (key, pair.value.scalarText ?? "") }
            return (key, JSON.serialize(pair.value, options: JSONOptions(indent: nil, trailingNewline: false)))
        }
    }
}
