import CSodium

#if canImport(Glibc)
    import Glibc
#endif

/// The environment handed to a child process: ordered `NAME=value` entries where a value is plain text or a
/// `SecretBytes`. A later entry with the same name replaces the earlier one in place, so a caller that appends
/// secrets last makes them win. The C `envp` array is only ever built in one libsodium guarded region that is
/// wiped and freed as soon as the scoped call returns.
public struct EnvironmentBlock: Sendable {
    /// One variable's value.
    public enum Value: Sendable {
        /// Configuration text (may be shown, logged, compared).
        case plain(String)
        /// Secret material; copied only into the guarded envp region.
        case secret(SecretBytes)

        fileprivate var byteCount: Int {
            switch self {
            case .plain(let s): s.utf8.count
            case .secret(let b): b.count
            }
        }
    }

    private var names: [String] = []
    private var values: [Value] = []
    private var index: [String: Int] = [:]

    /// An empty environment.
    public init() {}

    /// Builds from ordered entries; later duplicates replace earlier ones. Throws on an invalid name or a value
    /// containing NUL, naming the variable (never the value).
    public init(_ entries: [(name: String, value: Value)]) throws(CloakError) {
        for entry in entries { try set(entry.name, entry.value) }
    }

    /// The given environment's variables as plain values, in its order. Entries a child could not receive
    /// intact (an empty name) are left out rather than failing the launch.
    public static func inheriting(_ environment: Environment = .process) -> EnvironmentBlock {
        var block = EnvironmentBlock()
        for (name, value) in environment.all() { try? block.set(name, .plain(value)) }
        return block
    }

    /// Sets `name`, replacing an existing value in place or appending.
    public mutating func set(_ name: String, _ value: Value) throws(CloakError) {
        try Self.validate(name: name, value: value)
        if let i = index[name] {
            values[i] = value
        } else {
            index[name] = names.count
            names.append(name)
            values.append(value)
        }
    }

    /// Sets a plain value.
    public mutating func set(_ name: String, _ text: String) throws(CloakError) { try set(name, .plain(text)) }

    /// Sets a secret value.
    public mutating func set(_ name: String, secret: SecretBytes) throws(CloakError) { try set(name, .secret(secret)) }

    /// Removes `name` when present (keeps the order of the others).
    public mutating func remove(_ name: String) {
        guard let i = index.removeValue(forKey: name) else { return }
        names.remove(at: i)
        values.remove(at: i)
        for j in i..<names.count { index[names[j]] = j }
    }

    /// Variable names in order.
    public var variableNames: [String] { names }

    /// Number of variables.
    public var count: Int { names.count }

    /// The value of `name`, when set.
    public subscript(name: String) -> Value? {
        guard let i = index[name] else { return nil }
        return values[i]
    }

    /// Whether `name` is set to a secret.
    public func isSecret(_ name: String) -> Bool {
        if case .secret = self[name] { return true }
        return false
    }

    /// Calls `body` with a NULL-terminated `envp` whose pointer array and strings live in one sodium guarded
    /// region; the region is wiped and freed when `body` returns (after posix_spawn or a failed execve).
    public func withUnsafeEnvp<R, E: Error>(
        _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) throws(E) -> R
    ) throws(E) -> R {
        let pointerBytes = (names.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
        var stringBytes = 0
        for i in 0..<names.count { stringBytes += names[i].utf8.count + 1 + values[i].byteCount + 1 }
        // sodium_malloc places the block right before a guard page, so only a size that is a multiple of 16
        // yields an aligned pointer array.
        let total = (pointerBytes + stringBytes + 15) & ~15
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        guard let region = sodium_malloc(total) else { fatalError("sodium_malloc failed: out of memory") }
        defer { sodium_free(region) }  // zeroes, then unmaps with its guard pages
        precondition(Int(bitPattern: region) % MemoryLayout<UnsafeMutablePointer<CChar>?>.alignment == 0)

        let pointers = region.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: names.count + 1)
        let strings = (region + pointerBytes).assumingMemoryBound(to: UInt8.self)
        var offset = 0
        for i in 0..<names.count {
            pointers[i] = UnsafeMutableRawPointer(strings + offset).assumingMemoryBound(to: CChar.self)
            offset += copy(names[i].utf8, to: strings + offset)
            strings[offset] = UInt8(ascii: "=")
            offset += 1
            switch values[i] {
            case .plain(let s):
                offset += copy(s.utf8, to: strings + offset)
            case .secret(let secret):
                secret.withUnsafeBytes { buf in
                    if let base = buf.baseAddress, buf.count > 0 {
                        UnsafeMutableRawPointer(strings + offset).copyMemory(from: base, byteCount: buf.count)
                    }
                }
                offset += secret.count
            }
            strings[offset] = 0
            offset += 1
        }
        pointers[names.count] = nil
        return try body(UnsafePointer(pointers))
    }

    private func copy(_ utf8: String.UTF8View, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for byte in utf8 {
            destination[n] = byte
            n += 1
        }
        return n
    }

    private static func validate(name: String, value: Value) throws(CloakError) {
        if name.isEmpty { throw CloakError(.config, "environment variable name is empty") }
        if name.utf8.contains(UInt8(ascii: "=")) {
            throw CloakError(.config, "environment variable name \"\(name)\" contains '='")
        }
        if name.utf8.contains(0) {
            throw CloakError(.config, "environment variable name \"\(printable(name))\" contains a NUL byte")
        }
        let hasNUL: Bool
        switch value {
        case .plain(let s): hasNUL = s.utf8.contains(0)
        case .secret(let b): hasNUL = b.withUnsafeBytes { $0.contains(0) }
        }
        if hasNUL { throw CloakError(.config, "value of environment variable \(printable(name)) contains a NUL byte") }
    }

    private static func printable(_ name: String) -> String {
        String(name.unicodeScalars.map { $0 == "\0" ? "\\0" : String($0) }.joined())
    }
}
