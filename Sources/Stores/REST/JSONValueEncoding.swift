public import Core

/// Value encoding of the stores that always write JSON (Azure Key Vault, GCP Secret Manager, keychain): a string
/// is JSON-quoted, a JSON value is written verbatim; reads JSON-decode (a JSON string becomes text, other JSON stays
/// JSON) and fall back to the raw text (atmos-secrets.md §1.2, "Value encoding").
public enum JSONValueEncoding {
    /// The stored form of `value`.
    public static func encode(_ value: SecretValue) -> SecretBytes {
        switch value {
        case .json(let b):
            return b
        case .text(let b):
            let w = JSONBodyWriter()
            w.string(b)
            return w.finish()
        }
    }

    /// The value of a stored form.
    public static func decode(_ raw: SecretBytes) -> SecretValue { AWSValueEncoding.asmDecode(raw) }
}
