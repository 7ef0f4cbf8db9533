/// A position in an input file: 1-based line and column, printed as `file:line:col`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// Path as the user should see it (relative to the working directory when possible).
    public var file: String
    /// 1-based line; 0 when unknown.
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if line <= 0 { return file }
        if column <= 0 { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}
