/// How the value of an option or argument completes in the shell. The parser itself never looks at it; only
/// `Completer` does, when the shell calls back with `cloak __complete`.
public enum CompletionKind: Sendable {
    /// No candidates: the shell falls back to its own (file name) completion.
    case none
    /// Candidates computed by cloak from the words typed so far (all of them, option values included) and the
    /// prefix of the word being completed. Candidates are filtered by the prefix afterwards.
    case custom(@Sendable (_ words: [String], _ prefix: String) -> [String])
}
