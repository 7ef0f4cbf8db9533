public import Core

extension Node {
    /// The scalar's typed value under go-yaml v3 rules (see `ScalarValue`).
    ///
    /// An explicit core tag coerces (`!!int "12"` is 12, `!!float 1` is 1.0); when the text does not fit the tag
    /// (`!!int abc`) this falls back to `.string` — use `typedScalarValue()` to get an error instead. Any non-core
    /// tag (`!secret`, `!env`) gives `.string`. A sequence or mapping gives `.null`; check `isScalar` first.
    public var scalarValue: ScalarValue {
        guard case .scalar(let text, let style) = content else { return .null }
        return ScalarResolver.value(text: text, style: style, tag: tag) ?? .string(text)
    }

    /// Like `scalarValue`, but fails when an explicit core tag does not fit the text, as go-yaml v3 does.
    public func typedScalarValue() throws(CloakError) -> ScalarValue {
        guard case .scalar(let text, let style) = content else {
            throw CloakError(.config, "expected a scalar value but found a \(kindName)", at: location)
        }
        if let value = ScalarResolver.value(text: text, style: style, tag: tag) { return value }
        let shortTag = tag.map(Node.shortTag) ?? ""
        throw CloakError(
            .config, "scalar cannot be read as \(shortTag); fix the value or remove the tag", at: location)
    }

    /// Whether this is a null scalar (`null`, `~`, empty, `!!null`).
    public var isNull: Bool {
        isScalar && scalarValue == .null
    }

    /// The value of a bool scalar (`true`/`True`/`TRUE`/`false`/...), else `nil`.
    public var boolValue: Bool? {
        if case .bool(let b) = scalarValue, isScalar { return b }
        return nil
    }

    /// The text of any scalar, whatever its type (`"42"` for `42`), else `nil`. Same as `scalarText`.
    public var stringValue: String? { scalarText }

    /// The value of an integer scalar that fits Int64, else `nil`.
    public var intValue: Int64? {
        if case .int(let i) = scalarValue, isScalar { return i }
        return nil
    }

    /// The value of a float or integer scalar as a Double, else `nil`.
    public var doubleValue: Double? {
        guard isScalar else { return nil }
        switch scalarValue {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .uint(let u): return Double(u)
        default: return nil
        }
    }

    /// Whether the scalar means a string (quoted, block, `!!str`, a non-core tag, or plain text that resolves to
    /// no other type); false for collections.
    public var isStringScalar: Bool {
        guard case .scalar(let text, let style) = content else { return false }
        return ScalarResolver.isString(text: text, style: style, tag: tag)
    }

    /// A plain integer scalar.
    public static func int(_ value: Int64, location: SourceLocation? = nil) -> Node {
        Node(.scalar(String(value), .plain), location: location)
    }

    /// A plain bool scalar (`true`/`false`).
    public static func bool(_ value: Bool, location: SourceLocation? = nil) -> Node {
        Node(.scalar(value ? "true" : "false", .plain), location: location)
    }

    /// A plain float scalar written as go-yaml v3 writes a float64 (`1.5`, `1e+30`, `2`, `.inf`).
    public static func float(_ value: Double, location: SourceLocation? = nil) -> Node {
        Node(.scalar(GoFloat.formatYAML(value), .plain), location: location)
    }

    /// `tag:yaml.org,2002:x` as `!!x`; other tags unchanged.
    public static func shortTag(_ tag: String) -> String {
        tag.hasPrefix(coreTagPrefix) ? "!!" + tag.dropFirst(coreTagPrefix.count) : tag
    }

    /// "scalar", "sequence" or "mapping", for messages.
    public var kindName: String {
        switch content {
        case .scalar: "scalar"
        case .sequence: "sequence"
        case .mapping: "mapping"
        }
    }
}
