public import Core

/// The shared AWS files: `AWS_CONFIG_FILE` (default `~/.aws/config`, sections `[default]` and `[profile NAME]`)
/// and `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`, sections `[NAME]`), merged per profile with
/// the credentials file winning.
public struct SharedConfig: Sendable {
    /// Profile settings by profile name.
    public var profiles: [String: [String: String]]

    /// Creates a config from already-parsed files.
    public init(config: INIFile, credentials: INIFile) {
        var out: [String: [String: String]] = [:]
        for name in config.order {
            let profile: String
            if name == "default" {
                profile = "default"
            } else if name.hasPrefix("profile ") {
                profile = String(name.dropFirst("profile ".count)).trimmingCharacters()
            } else {
                continue  // sso-session, services, …
            }
            out[profile, default: [:]].merge(config.sections[name] ?? [:]) { _, new in new }
        }
        for name in credentials.order {
            out[name, default: [:]].merge(credentials.sections[name] ?? [:]) { _, new in new }
        }
        profiles = out
    }

    /// Reads both files (a missing file is empty).
    public static func load(_ environment: Environment) -> SharedConfig {
        let home = environment.home
        let configPath = environment.nonEmpty("AWS_CONFIG_FILE").map(environment.expandPath) ?? Path.join(home, ".aws/config")
        let credsPath = environment.nonEmpty("AWS_SHARED_CREDENTIALS_FILE").map(environment.expandPath)
            ?? Path.join(home, ".aws/credentials")
        func read(_ p: String) -> INIFile {
            guard let bytes = try? FileSystem.readBytes(p) else { return INIFile("") }
            return INIFile(String(decoding: bytes, as: UTF8.self))
        }
        return SharedConfig(config: read(configPath), credentials: read(credsPath))
    }

    /// The profile to use: `explicit`, else `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
    public static func profileName(explicit: String?, environment: Environment) -> String {
        if let e = explicit, !e.isEmpty { return e }
        return environment.nonEmpty("AWS_PROFILE") ?? environment.nonEmpty("AWS_DEFAULT_PROFILE") ?? "default"
    }

    /// The profile's `region`.
    public func region(profile: String) -> String? {
        profiles[profile]?["region"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// The region: the store's option, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
public enum AWSRegion {
    /// The region, or nil when none is configured anywhere.
    public static func resolve(option: String?, profile: String?, environment: Environment) -> String? {
        if let o = option, !o.isEmpty { return o }
        if let r = environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION") { return r }
        let shared = SharedConfig.load(environment)
        return shared.region(profile: SharedConfig.profileName(explicit: profile, environment: environment))
    }
}
