import Core

/// Finds the `atmos.yaml` files to merge, in Atmos's precedence order.
enum ConfigLocator {
    /// The files to merge, lowest precedence first, and the directory of the main one.
    static func locate(_ options: ConfigOptions, gitRoot: String?) throws(CloakError) -> (files: [String], main: String?) {
        let env = options.environment
        let cwd = options.workingDirectory
        // 1. --config / --config-path, 2. ATMOS_CLI_CONFIG_PATH: exclusive, no directory search.
        var explicit = options.configPaths
        var origin = "--config-path"
        if explicit.isEmpty, let fromEnv = env.nonEmpty("ATMOS_CLI_CONFIG_PATH") {
            explicit = fromEnv.split(separator: ",").map { String($0) }
            origin = "ATMOS_CLI_CONFIG_PATH"
        }
        if !explicit.isEmpty {
            var files: [String] = []
            for entry in explicit {
                let path = Path.absolute(env.expandPath(entry), relativeTo: cwd)
                if FileSystem.isDirectory(path) {
                    guard let file = configFile(in: path) else {
                        throw CloakError(.notFound, "\(origin): no atmos.yaml in directory \(entry)")
                    }
                    files.append(file)
                } else if FileSystem.isFile(path) {
                    files.append(path)
                } else {
                    throw CloakError(.notFound, "\(origin): \(entry) does not exist")
                }
            }
            return (files, files.last)
        }
        var files: [String] = []
        let system = "/usr/local/etc/atmos/atmos.yaml"
        if FileSystem.isFile(system) { files.append(system) }
        let home = Path.join(env.home, ".atmos/atmos.yaml")
        if FileSystem.isFile(home) { files.append(home) }
        // 4. ./atmos.yaml, 5. the git root, 6. parent directories.
        var project = configFile(in: cwd)
        if project == nil, let gitRoot { project = configFile(in: gitRoot) }
        if project == nil {
            var dir = Path.dirname(cwd)
            while project == nil {
                project = configFile(in: dir)
                if dir == "/" { break }
                dir = Path.dirname(dir)
            }
        }
        if let project, !files.contains(project) { files.append(project) }
        return (files, project ?? files.last)
    }

    private static func configFile(in directory: String) -> String? {
        for name in ["atmos.yaml", "atmos.yml"] {
            let candidate = Path.join(directory, name)
            if FileSystem.isFile(candidate) { return candidate }
        }
        return nil
    }

    /// The nearest directory at or above `directory` that contains `.git`.
    static func gitRoot(from directory: String) -> String? {
        var dir = directory
        while true {
            if FileSystem.exists(Path.join(dir, ".git")) { return dir }
            if dir == "/" || dir.isEmpty || dir == "." { return nil }
            dir = Path.dirname(dir)
        }
    }
}
