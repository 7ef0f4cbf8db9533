public import Core

/// How SSM and Secrets Manager values are written and read (atmos-secrets.md §1.2, "Value encoding"), so cloak
/// interoperates with data Atmos wrote.
public enum AWSValueEncoding {
    /// SSM write: a non-empty string raw; an empty string and every JSON value as JSON text.
    public static func ssmEncode(_ value: SecretValue) -> SecretBytes {
        switch value {
        case .text(let b):
            if b.count > 0 { return b }
            var quoted = Array("\"\"".utf8)
            return SecretBytes(consuming: &quoted)
        case .json(let b):
            return b
        }
    }

    /// SSM read: JSON-decoded; a JSON string becomes text, a map or list stays JSON, anything else (numbers,
    /// booleans, null, non-JSON) is returned as the raw text.
    public static func ssmDecode(_ raw: SecretBytes) -> SecretValue {
        raw.withUnsafeBytes { (buf) -> SecretValue in
            guard let span = try? JSONScanner.parse(buf) else { return .text(raw) }
            switch span {
            case .string(let r):
                if let s = JSONScanner.secretString(buf, r) { return .text(s) }
                return .text(raw)
            case .object, .array:
                return .json(raw)
            default:
                return .text(raw)
            }
        }
    }

    /// Secrets Manager write: a string that already holds a JSON object or array verbatim; any other string
    /// JSON-quoted (`abc` → `"abc"`); JSON values verbatim.
    public static func asmEncode(_ value: SecretValue) -> SecretBytes {
        switch value {
        case .json(let b):
            return b
        case .text(let b):
            if let kind = JSONScanner.kind(of: b), kind == .object || kind == .array { return b }
            let w = JSONBodyWriter()
            w.string(b)
            return w.finish()
        }
    }

    /// Secrets Manager read: JSON-decoded (a string becomes text, other JSON stays JSON), else the raw string.
    public static func asmDecode(_ raw: SecretBytes) -> SecretValue {
        raw.withUnsafeBytes { (buf) -> SecretValue in
            guard let span = try? JSONScanner.parse(buf) else { return .text(raw) }
            if case .string(let r) = span {
                if let s = JSONScanner.secretString(buf, r) { return .text(s) }
                return .text(raw)
            }
            return .json(raw)
        }
    }
}
