import Core

/// The creation-rule regex for a provider's files: literal text escaped, each `{{…}}` → `.*`, anchored with `$`.
public enum SopsRuleRegex {
    public static func derive(from provider: SopsProviderConfig) -> String {
        // Without spec.file the files are <path>/<stack>[.<component>].enc.yaml (Atmos wrote `$`, matching every file).
        let template = provider.fileTemplate ?? Path.join(provider.path, "{{ .atmos_stack }}.enc.yaml")
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            out += escape(rest[..<open.lowerBound])
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            out += ".*"
            rest = rest[close.upperBound...]
        }
        return out + escape(rest) + "$"
    }

    private static func escape(_ text: Substring) -> String {
        var out = ""
        for c in text {
            if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
