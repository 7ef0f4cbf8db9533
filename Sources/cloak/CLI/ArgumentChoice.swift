/// An enum whose cases are the values an option accepts (`--format json`); the raw values are the spellings.
public protocol ArgumentChoice: CaseIterable, RawRepresentable where RawValue == String {}

extension ArgumentChoice {
    /// Every accepted spelling, in declaration order (for `OptionSpec.choices`).
    public static var choices: [String] { allCases.map(\.rawValue) }
}
