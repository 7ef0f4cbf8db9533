public import Core
public import YAML

/// `ref+file://PATH[?encode=base64][#/frag]`: a local file, relative to the working directory (C.6). Without a
/// fragment the contents (or their standard base64 with `encode=base64`); with one, the file parsed as YAML/JSON.
public struct FileRefProvider: RefProvider {
    /// Directory relative paths are read from (default: the process working directory).
    public var workingDirectory: String?

    /// Creates the provider.
    public init(workingDirectory: String? = nil) { self.workingDirectory = workingDirectory }

    /// Reads local files only.
    public var isLocal: Bool { true }

    func resolvedPath(_ path: String) -> String {
        let p = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        return Path.absolute(p, relativeTo: workingDirectory ?? FileSystem.currentDirectory())
    }

    public func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        let full = resolvedPath(path)
        let bytes: [UInt8]
        do { bytes = try FileSystem.readBytes(full) } catch { throw CloakError(error.code, "file: \(error.message)") }
        switch params.value("encode") {
        case nil, "":
            return String(decoding: bytes, as: UTF8.self)
        case "base64":
            return Base64.encode(bytes)
        case let other?:
            throw CloakError(.config, "file: unsupported encode=\(other) (only base64)")
        }
    }

    public func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        let full = resolvedPath(path)
        let text: String
        do { text = try FileSystem.readText(full) } catch { throw CloakError(error.code, "file: \(error.message)") }
        return try RefDocument.parseMap(text, source: "file: \(full)")
    }
}

/// Parsing provider output for fragment lookups.
public enum RefDocument {
    /// `text` parsed as YAML (JSON is YAML too); it must be a mapping. Parse errors do not quote the text.
    public static func parseMap(_ text: String, source: String) throws(CloakError) -> Node {
        let node: Node
        do { node = try YAMLLoader.loadSingle(text, file: source) } catch {
            throw CloakError(.config, "\(source): content is not valid YAML or JSON")
        }
        if node.isNull { return .mapping([]) }
        guard node.isMapping else {
            throw CloakError(.config, "\(source): expected a map, got \(GoValueFormat.typeName(node))")
        }
        return node
    }
}
