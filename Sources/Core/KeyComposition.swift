/// How each secret store turns a coordinate into a name (atmos-secrets.md §1.2). Pure functions.
public enum KeyComposition {
    /// The generic rule: `[prefix] + stack split by stackDelimiter + component split on "/" + [key]`, joined with
    /// `joiner`, then `//` replaced by `/` (non-overlapping, so `///` becomes `//`). The prefix always takes a slot,
    /// so an empty prefix joined with `/` gives a leading `/`. Empty stack or component segments are skipped, so
    /// stack- and global-scoped coordinates work on every backend.
    public static func compose(
        prefix: String, coordinate: SecretCoordinate, stackDelimiter: String, joiner: String
    ) -> String {
        var parts: [String] = [prefix]
        if !coordinate.stack.isEmpty { parts += split(coordinate.stack, by: stackDelimiter) }
        if !coordinate.component.isEmpty { parts += split(coordinate.component, by: "/") }
        parts.append(coordinate.key)
        return replaceAll(parts.joined(separator: joiner), "//", "/")
    }

    /// AWS SSM Parameter Store and Secrets Manager: `/`-joined, stack split on `-` by default.
    public static func aws(prefix: String, coordinate: SecretCoordinate, stackDelimiter: String = "-") -> String {
        compose(prefix: prefix, coordinate: coordinate, stackDelimiter: stackDelimiter, joiner: "/")
    }

    /// HashiCorp Vault KV path under the mount: the stack is kept whole by default (`/` delimiter).
    public static func vault(prefix: String, coordinate: SecretCoordinate, stackDelimiter: String = "/") -> String {
        compose(prefix: prefix, coordinate: coordinate, stackDelimiter: stackDelimiter, joiner: "/")
    }

    /// Azure Key Vault secret name: `-`-joined, then normalised to `[0-9A-Za-z-]`.
    public static func azure(prefix: String, coordinate: SecretCoordinate, stackDelimiter: String = "-") -> String {
        azureNormalize(compose(prefix: prefix, coordinate: coordinate, stackDelimiter: stackDelimiter, joiner: "-"))
    }

    /// GCP Secret Manager secret id: `_`-joined, then cleaned.
    public static func gcp(prefix: String, coordinate: SecretCoordinate, stackDelimiter: String = "-") -> String {
        gcpCleanup(compose(prefix: prefix, coordinate: coordinate, stackDelimiter: stackDelimiter, joiner: "_"))
    }

    /// OS keychain service name: `/`-joined under the prefix (default `atmos`).
    public static func keychain(prefix: String = "atmos", coordinate: SecretCoordinate, stackDelimiter: String = "-")
        -> String
    {
        compose(prefix: prefix, coordinate: coordinate, stackDelimiter: stackDelimiter, joiner: "/")
    }

    /// GitHub Actions secret name: `[PREFIX_]KEY` upper-cased, other characters `_`. Nil for reserved `GITHUB_` names.
    public static func githubActions(prefix: String, key: String) -> String? {
        let raw = prefix.isEmpty ? key : prefix + "_" + key
        let name = String(raw.uppercased().map { c -> Character in
            (c.isASCII && (c.isLetter || c.isNumber)) || c == "_" ? c : "_"
        })
        return name.hasPrefix("GITHUB_") ? nil : name
    }

    /// Azure rules: every character outside `[0-9A-Za-z-]` becomes `-`, runs of `-` collapse, leading and trailing
    /// `-` are trimmed, and an empty result becomes `default`.
    public static func azureNormalize(_ name: String) -> String {
        var out = ""
        for c in name {
            let keep = c.isASCII && (c.isLetter || c.isNumber)
            let ch: Character = keep ? c : "-"
            if ch == "-" && out.last == "-" { continue }
            out.append(ch)
        }
        while out.hasPrefix("-") { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "default" : out
    }

    /// GCP rules: `/` becomes `_`, `__` becomes `_` (one pass), leading and trailing `_` are trimmed.
    public static func gcpCleanup(_ name: String) -> String {
        var out = replaceAll(String(name.map { $0 == "/" ? "_" : $0 }), "__", "_")
        while out.hasPrefix("_") { out.removeFirst() }
        while out.hasSuffix("_") { out.removeLast() }
        return out
    }

    /// Go's `strings.Split`: empty pieces are kept; an empty separator splits into characters.
    static func split(_ text: String, by separator: String) -> [String] {
        if separator.isEmpty { return text.map(String.init) }
        var parts: [String] = []
        var rest = Substring(text)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    /// Go's `strings.ReplaceAll`: left to right, non-overlapping.
    static func replaceAll(_ text: String, _ target: String, _ replacement: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
