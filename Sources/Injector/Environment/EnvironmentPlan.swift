public import Core

/// The child's environment, built in layers, with where every variable came from. Values never render.
public struct EnvironmentPlan: Sendable {
    /// One variable of the final environment.
    public struct Entry: Sendable {
        /// Variable name.
        public var name: String
        /// Its value (secret values stay in guarded memory).
        public var value: EnvironmentBlock.Value
        /// Where it came from, for `cloak env` (file:line, provider and coordinate — never the value).
        public var origin: String
        /// Whether the value must be masked and kept off disk.
        public var isSecret: Bool
        /// Whether the value is handed over as a memory-backed file (`as: file`).
        public var asFile: Bool

        /// Creates an entry.
        public init(name: String, value: EnvironmentBlock.Value, origin: String, isSecret: Bool, asFile: Bool) {
            self.name = name
            self.value = value
            self.origin = origin
            self.isSecret = isSecret
            self.asFile = asFile
        }
    }

    /// A declared secret that could not be resolved.
    public struct Problem: Sendable {
        /// The secret's name.
        public var name: String
        /// Why (safe to print).
        public var reason: String
        /// Whether it stops the launch (`required: true`, or any secret under `--strict`).
        public var fatal: Bool

        /// Creates a problem.
        public init(name: String, reason: String, fatal: Bool) {
            self.name = name
            self.reason = reason
            self.fatal = fatal
        }
    }

    /// Final variables in environment order (a later layer replaced earlier values in place).
    public var entries: [Entry] = []
    /// Secrets that did not resolve.
    public var problems: [Problem] = []
    /// Every declared secret that resolved, by name (reused for `!secret` in vars, never fetched twice).
    public var resolved: [String: SecretValue] = [:]

    /// Creates an empty plan.
    public init() {}

    /// Sets a variable, replacing an earlier one of the same name in place (so order stays stable).
    public mutating func set(_ entry: Entry) {
        if let i = entries.firstIndex(where: { $0.name == entry.name }) {
            entries[i] = entry
        } else {
            entries.append(entry)
        }
    }

    /// Every secret value in the plan (for masking and CI mask registration).
    public var secretValues: [SecretBytes] {
        entries.compactMap { e in
            guard e.isSecret, case .secret(let bytes) = e.value else { return nil }
            return bytes
        }
    }

    /// Whether any problem stops the launch.
    public var hasFatalProblems: Bool { problems.contains { $0.fatal } }
}
