/// Where one secret value lives: stack and component segments (either may be empty for shared scopes) and the key.
public struct SecretCoordinate: Sendable, Hashable, CustomStringConvertible {
    /// Canonical stack name, or "" for global scope.
    public var stack: String
    /// Component instance key, or "" for stack and global scope.
    public var component: String
    /// The secret's key in its backend (`reference` when set, else the declared NAME).
    public var key: String

    /// Creates a coordinate.
    public init(stack: String, component: String, key: String) {
        self.stack = stack
        self.component = component
        self.key = key
    }

    public var description: String { "stack=\(stack) component=\(component) key=\(key)" }
}

/// A resolved secret value. Strings stay strings; maps, lists, numbers and booleans travel as JSON text.
public enum SecretValue: Sendable, CustomStringConvertible {
    /// A string value.
    case text(SecretBytes)
    /// A JSON document (object, array, number, boolean or null).
    case json(SecretBytes)

    /// The bytes, whatever the kind.
    public var bytes: SecretBytes {
        switch self {
        case .text(let b), .json(let b): b
        }
    }

    /// Whether the value is a JSON document rather than a string.
    public var isJSON: Bool {
        if case .json = self { return true }
        return false
    }

    public var description: String { "<redacted \(isJSON ? "json" : "text") value>" }
}

/// The scope a secret declaration is shared at.
public enum SecretScope: String, Sendable, CaseIterable {
    /// One value per component instance in a stack.
    case instance
    /// One value per stack, shared by its components.
    case stack
    /// One value shared everywhere the backend is used.
    case global
}

/// A place secret values are read from and written to (a SOPS file provider, a secret store, …).
public protocol SecretBackend: Sendable {
    /// How `list` shows the backend, e.g. `sops:dev-sops` or `store:ssm`.
    var label: String { get }
    /// Whether status checks are local and need no credentials (checked by `list` without `--verify`).
    var isLocal: Bool { get }
    /// Whether the backend can hold secrets of `scope`.
    func supports(_ scope: SecretScope) -> Bool
    /// The value at `coordinate`; a missing value is `CloakError(.notInitialized, …)`.
    func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue
    /// Several values at once (backends batch where they can); results are in the order asked.
    func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>]
    /// Writes a value, creating what is needed.
    func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError)
    /// Removes a value.
    func delete(_ coordinate: SecretCoordinate) throws(CloakError)
    /// Whether a value exists, without fetching it.
    func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool
}

extension SecretBackend {
    /// Default: one `get` per coordinate.
    public func getMany(_ coordinates: [SecretCoordinate]) -> [Result<SecretValue, CloakError>] {
        coordinates.map { (c) -> Result<SecretValue, CloakError> in
            do throws(CloakError) { return .success(try get(c)) } catch { return .failure(error) }
        }
    }
}
