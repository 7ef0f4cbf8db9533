/// The INI dialect of `~/.aws/config` and `~/.aws/credentials`: `[section]` headers, `key = value` lines, `#` and
/// `;` comment lines, and indented sub-property blocks (e.g. `s3 =` followed by indented lines), which are skipped.
public struct INIFile: Sendable, Equatable {
    /// Sections in file order; later duplicates merge into earlier ones (later keys win).
    public private(set) var sections: [String: [String: String]] = [:]
    /// Section names in first-seen order.
    public private(set) var order: [String] = []

    /// Parses `text`.
    public init(_ text: String) {
        var current: String?
        var inSubBlock = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            let indented = line.first == " " || line.first == "\t"
            let trimmed = String(line).trimmingCharacters()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.lastIndex(of: "]") else { continue }
                let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close]).trimmingCharacters()
                current = name
                inSubBlock = false
                if sections[name] == nil {
                    sections[name] = [:]
                    order.append(name)
                }
                continue
            }
            guard let section = current else { continue }
            if indented && inSubBlock { continue }
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<eq]).trimmingCharacters().lowercased()
            var value = String(trimmed[trimmed.index(after: eq)...]).trimmingCharacters()
            // An inline comment needs whitespace before it (values such as URLs may contain `#`).
            for marker in [" #", "\t#", " ;", "\t;"] {
                if let r = value.firstRange(of: marker) { value = String(value[..<r.lowerBound]).trimmingCharacters() }
            }
            if value.isEmpty && !indented {
                inSubBlock = true
                continue
            }
            inSubBlock = false
            sections[section, default: [:]][key] = value
        }
    }
}
