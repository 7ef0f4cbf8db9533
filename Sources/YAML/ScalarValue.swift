/// The typed meaning of a scalar under go-yaml v3's rules (YAML 1.2 core schema plus go-yaml's extras).
public enum ScalarValue: Sendable, Equatable {
    /// Empty, `~`, `null`, `Null`, `NULL`.
    case null
    /// `true`/`True`/`TRUE`, `false`/`False`/`FALSE` only.
    case bool(Bool)
    /// An integer that fits Int64 (Go base-0 syntax after deleting `_`: `0x1F`, `0o17`, `0b101`, `017` octal).
    case int(Int64)
    /// An integer beyond Int64 that fits UInt64.
    case uint(UInt64)
    /// A float (`1.5`, `1e3`, `.inf`, `.nan`, and integers too large for UInt64).
    case float(Double)
    /// A timestamp, normalised to RFC 3339 as Go's `time.MarshalText` prints it (`2024-01-02T00:00:00Z`).
    case timestamp(String)
    /// Anything else, every quoted or block scalar, and every scalar with a non-core tag (`!secret`, `!env`).
    case string(String)

    /// Same case and value; unlike `Double`, NaN equals NaN.
    public static func == (lhs: ScalarValue, rhs: ScalarValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        // NaN equals NaN here: two `.nan` scalars mean the same value.
        case (.float(let a), .float(let b)): a == b || (a.isNaN && b.isNaN)
        case (.timestamp(let a), .timestamp(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        default: false
        }
    }

    /// Whether this is `.string`.
    public var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
