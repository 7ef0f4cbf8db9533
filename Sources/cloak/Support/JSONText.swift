import YAML

/// JSON string quoting for hand-built output.
enum JSONText {
    static func quote(_ s: String) -> String { JSON.quote(s, escapeHTML: false) }
}
