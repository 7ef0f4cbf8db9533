import Core
import YAML

/// Reads a file for `!include`: the extension picks the parser (JSON, YAML, raw text for anything else).
enum IncludeLoader {
    static func load(_ path: String, raw: Bool, at location: SourceLocation?) throws(CloakError) -> Node {
        let text: String
        do { text = try FileSystem.readText(path) } catch { throw CloakError(error.code, error.message, at: location) }
        if raw { return Node(.scalar(text, .literal), location: location) }
        switch Path.fileExtension(path).lowercased() {
        case ".json":
            return try JSON.parse(text, file: path)
        case ".yaml", ".yml":
            return try YAMLLoader.loadSingle(text, file: path)
        case ".hcl", ".tf", ".tfvars":
            throw CloakError(.config, "!include \(path): HCL files are not supported; convert it to YAML or JSON", at: location)
        default:
            return Node(.scalar(text, .literal), location: location)
        }
    }
}
