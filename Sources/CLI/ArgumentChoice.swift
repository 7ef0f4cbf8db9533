/// An enum whose cases are the values an option accepts (`--format json`); the raw values are the spellings.
public protocol ArgumentChoice: CaseIterable, RawRepresentable where RawValue == String {}

extension ArgumentChoice {
    /// Every accepted spelling, in declaration order (for `OptionSpec.choices`).
    // A closure, not `\.rawValue`: a key path in generic code is instantiated by the runtime on every start.
    public static var choices: [String] { allCases.map { $0.rawValue } }
}
