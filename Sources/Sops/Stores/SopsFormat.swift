public import Core

/// A SOPS file format (store).
public enum SopsFormat: String, Sendable, CaseIterable {
    /// YAML (multi-document, comments).
    case yaml
    /// JSON.
    case json
    /// `KEY=value` lines.
    case dotenv
    /// INI sections.
    case ini
    /// Any bytes, wrapped as `{"data": …}`.
    case binary

    /// Parses `--input-type` / `--output-type` names.
    public init?(name: String) {
        switch name.lowercased() {
        case "yaml", "yml": self = .yaml
        case "json": self = .json
        case "dotenv", "env": self = .dotenv
        case "ini": self = .ini
        case "binary": self = .binary
        default: return nil
        }
    }

    /// The format sops picks from a file name: `.yaml`/`.yml`, `.json`, `.env`, `.ini`, else binary.
    public init(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            self = .yaml
        } else if lower.hasSuffix(".json") {
            self = .json
        } else if lower.hasSuffix(".env") {
            self = .dotenv
        } else if lower.hasSuffix(".ini") {
            self = .ini
        } else {
            self = .binary
        }
    }

    var store: any SopsStore {
        switch self {
        case .yaml: YAMLStore()
        case .json: JSONStore()
        case .dotenv: DotenvStore()
        case .ini: INIStore()
        case .binary: BinaryStore()
        }
    }
}

/// What a store read from a file.
struct LoadedDocuments {
    /// Documents with the `sops` key removed.
    var documents: [[SopsItem]]
    /// The raw `sops` block (from the first document), if any.
    var metadata: SopsValue?
    /// Flat formats: the flattened metadata key order as read.
    var flatKeyOrder: [String]?
}

/// Reads and writes one format. `metadata` nil means plaintext (decrypted or to-be-encrypted) content.
protocol SopsStore {
    /// Parses a file. Plaintext input that already holds metadata is reported through `metadata`.
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments
    /// Serialises documents, appending the metadata block when given.
    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8]
}

/// Formatting switches for emitted files.
public struct SopsEmitOptions: Sendable {
    /// YAML indentation (sops default 4).
    public var yamlIndent: Int
    /// JSON indentation: nil = TAB (sops default), else that many spaces.
    public var jsonIndent: Int?
    /// Metadata key order.
    public var metadataLayout: SopsMetadataLayout

    /// sops 3.11 defaults.
    public init(yamlIndent: Int = 4, jsonIndent: Int? = nil, metadataLayout: SopsMetadataLayout = .sops311) {
        self.yamlIndent = yamlIndent
        self.jsonIndent = jsonIndent
        self.metadataLayout = metadataLayout
    }
}

extension SopsStore {
    /// Splits the `sops` key off the top-level items of each document.
    static func separateMetadata(_ docs: [[SopsItem]]) -> ([[SopsItem]], SopsValue?) {
        var meta: SopsValue?
        var out: [[SopsItem]] = []
        for d in docs {
            var kept: [SopsItem] = []
            for item in d {
                if case .entry("sops", let v) = item {
                    if meta == nil { meta = v }
                    continue
                }
                kept.append(item)
            }
            out.append(kept)
        }
        return (out, meta)
    }
}
