/// A minimal numbered picker on the terminal (stderr for the menu, stdin for the answer).
enum Picker {
    /// Returns the chosen item, or nil when there is nothing to choose or the input is not a valid choice.
    static func choose(_ title: String, _ items: [String]) -> String? {
        guard !items.isEmpty else { return nil }
        if items.count == 1 { return items[0] }
        Console.err("\(title):")
        for (i, item) in items.enumerated() { Console.err("  \(i + 1)) \(item)") }
        Console.errNoNewline("Enter a number [1-\(items.count)]: ")
        guard let line = readLine(), let n = Int(line.trimmingWhitespaceAndNewlines()), n >= 1, n <= items.count else { return nil }
        return items[n - 1]
    }
}
