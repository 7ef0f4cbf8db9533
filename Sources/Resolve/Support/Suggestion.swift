/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
    /// The candidate closest to `input`, when it is close enough to be a plausible typo.
    public static func closest(to input: String, in candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        let a = Array(input.lowercased())
        for candidate in candidates {
            let d = distance(a, Array(candidate.lowercased()))
            if let current = best, d >= current.1 { continue }
            best = (candidate, d)
        }
        guard let (name, d) = best else { return nil }
        let limit = max(2, a.count / 3)
        if d <= limit { return name }
        // A candidate that contains the input (or vice versa) is worth suggesting too.
        if name.lowercased().contains(input.lowercased()) || input.lowercased().contains(name.lowercased()) {
            return name
        }
        return nil
    }

    /// A ` (did you mean "x"?)` suffix, or an empty string.
    public static func hint(for input: String, in candidates: some Sequence<String>) -> String {
        closest(to: input, in: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
