public import Core
public import YAML

/// A small yq-style path: `.a.b`, `.list[0]`, `.["key with.dots"]`, `.` for the whole node.
public struct NodeQuery: Sendable, CustomStringConvertible {
    /// One step of the path.
    public enum Step: Sendable, Equatable {
        /// A mapping key.
        case key(String)
        /// A sequence index (negative counts from the end).
        case index(Int)
    }

    /// The parsed steps.
    public let steps: [Step]
    /// The expression as written.
    public let description: String

    /// Parses an expression; errors name the expression and the offending position.
    public init(_ expression: String) throws(CloakError) {
        description = expression
        var steps: [Step] = []
        let chars = Array(expression.trimmingWhitespace())
        var i = 0
        func fail(_ why: String) -> CloakError {
            CloakError(.usage, "invalid query \"\(expression)\": \(why)")
        }
        if chars.isEmpty { throw fail("empty expression (use \".\" for the whole document)") }
        while i < chars.count {
            let c = chars[i]
            if c == "." {
                i += 1
                if i < chars.count && chars[i] != "." && chars[i] != "[" {
                    var name = ""
                    while i < chars.count && chars[i] != "." && chars[i] != "[" {
                        name.append(chars[i])
                        i += 1
                    }
                    steps.append(.key(name))
                }
            } else if c == "[" {
                i += 1
                if i < chars.count && (chars[i] == "\"" || chars[i] == "'") {
                    let quote = chars[i]
                    i += 1
                    var name = ""
                    while i < chars.count && chars[i] != quote {
                        name.append(chars[i])
                        i += 1
                    }
                    guard i + 1 < chars.count, chars[i + 1] == "]" else { throw fail("unterminated [\"key\"]") }
                    i += 2
                    steps.append(.key(name))
                } else {
                    var digits = ""
                    while i < chars.count && chars[i] != "]" {
                        digits.append(chars[i])
                        i += 1
                    }
                    guard i < chars.count, let n = Int(digits) else { throw fail("expected a number or a quoted key in []") }
                    i += 1
                    steps.append(.index(n))
                }
            } else if i == 0 {
                // Tolerate a leading bare key (`vars.stage`).
                var name = ""
                while i < chars.count && chars[i] != "." && chars[i] != "[" {
                    name.append(chars[i])
                    i += 1
                }
                steps.append(.key(name))
            } else {
                throw fail("unexpected \"\(c)\" at position \(i + 1)")
            }
        }
        self.steps = steps
    }

    /// The node at the path, or nil when any step is missing (yq prints null then).
    public func evaluate(_ node: Node) -> Node? {
        var current = node
        for step in steps {
            switch step {
            case .key(let k):
                guard let next = current[k] else { return nil }
                current = next
            case .index(let n):
                guard let items = current.items else { return nil }
                let i = n < 0 ? items.count + n : n
                guard i >= 0 && i < items.count else { return nil }
                current = items[i]
            }
        }
        return current
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
