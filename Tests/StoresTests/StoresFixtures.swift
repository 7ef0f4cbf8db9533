import Core

/// Paths of files under `Fixtures/` next to the test sources.
enum StoresFixtures {
    /// Absolute path of `Fixtures/<relative>`.
    static func path(_ relative: String, file: String = #filePath) -> String {
        let directory = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return "\(directory)/Fixtures/\(relative)"
    }

    /// The text of `Fixtures/<relative>`.
    static func text(_ relative: String) throws -> String {
        String(decoding: try FileSystem.readBytes(path(relative)), as: UTF8.self)
    }

    /// A secret from text.
    static func secret(_ s: String) -> SecretBytes {
        var b = Array(s.utf8)
        return SecretBytes(consuming: &b)
    }
}
