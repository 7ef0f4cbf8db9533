import Core
import Resolve

/// Reads `import`/`push`/`init --input` files.
enum SecretFileInput {
    /// Reads `path` (`-` = stdin) and parses it as `format` (`env` or `json`).
    static func read(_ path: String, format: String) throws(CloakError) -> [(key: String, value: String)] {
        guard format == "env" || format == "json" else {
            throw CloakError(.usage, "unsupported format (use env or json): \"\(format)\"")
        }
        let bytes = path == "-" ? Console.readAllStdin() : try FileSystem.readBytes(path)
        let text = String(decoding: bytes, as: UTF8.self)
        return format == "json" ? try DotenvInput.parseJSON(text, file: path) : DotenvInput.parseEnv(text)
    }
}
