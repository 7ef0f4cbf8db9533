import Core
import Resolve

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway Atmos repository in a temp directory, written from `[path: contents]`.
struct TestRepo {
    let root: String

    init(_ files: [String: String]) throws {
        var template = Array("/tmp/cloak-resolve-XXXXXX".utf8CString)
        guard let dir = mkdtemp(&template) else { throw CloakError(.io, "mkdtemp failed") }
        root = String(cString: dir)
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        let full = Path.join(root, path)
        try FileSystem.createDirectories(Path.dirname(full))
        guard let f = fopen(full, "w") else { throw CloakError(.io, "cannot write \(full)") }
        fputs(text, f)
        fclose(f)
    }

    func catalog(environment: [String: String] = [:]) throws -> StackCatalog {
        let env = Environment(["HOME": root].merging(environment) { $1 })
        let config = try ConfigLoader.load(ConfigOptions(workingDirectory: root, environment: env))
        return StackCatalog(config: config, environment: env)
    }

    /// The directory of a committed fixture repo.
    static func fixture(_ name: String, file: String = #filePath) -> String {
        Path.join(Path.dirname(file), "Fixtures/\(name)")
    }

    /// A cache directory outside the source tree: a fixture is the HOME of its catalog, and the stack index cache
    /// would otherwise be written into the committed fixture.
    static let cacheHome: String = {
        var template = Array("/tmp/cloak-resolve-cache-XXXXXX".utf8CString)
        guard let dir = mkdtemp(&template) else { return "/tmp" }
        return String(cString: dir)
    }()

    static func fixtureCatalog(_ name: String) throws -> StackCatalog {
        let dir = fixture(name)
        let env = Environment(["HOME": dir, "XDG_CACHE_HOME": cacheHome])
        let config = try ConfigLoader.load(ConfigOptions(workingDirectory: dir, environment: env))
        return StackCatalog(config: config, environment: env)
    }
}

/// Runs `body` and returns the CloakError it throws (nil if it succeeds).
func captureError(_ body: () throws -> Void) -> CloakError? {
    do {
        try body()
        return nil
    } catch let error as CloakError {
        return error
    } catch {
        return CloakError(.internal, "unexpected error type: \(error)")
    }
}
