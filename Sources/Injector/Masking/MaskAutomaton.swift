import CCloakLinux

/// A dense Aho-Corasick DFA over bytes. Each table entry is the next state's row offset (state × classes), with
/// the top bit set when that state ends a pattern and the next bit when it is shallow (depth 0 or 1), so the hot
/// loop is one load and one test per byte. From a shallow state the scanner skips ahead with `startPairs`, a
/// bitset of the first two bytes of every pattern: no match can begin where no such pair begins. The tables
/// encode the secrets, so they are wiped in deinit.
final class MaskAutomaton: @unchecked Sendable {
    static let matchFlag: UInt32 = 0x8000_0000
    static let shallowFlag: UInt32 = 0x4000_0000
    static let flags: UInt32 = matchFlag | shallowFlag

    /// Byte → column (0 is every byte that occurs in no pattern).
    let classMap: UnsafeMutablePointer<UInt32>
    /// Number of columns per row.
    let classCount: Int
    /// `stateCount × classCount` transitions.
    let table: UnsafeMutablePointer<UInt32>
    let stateCount: Int
    /// Per state: its depth (length of the longest pattern prefix it stands for).
    let depth: UnsafeMutablePointer<UInt32>
    /// Per state: length of the longest pattern that is a suffix of it (0 = none).
    let matchLength: UnsafeMutablePointer<UInt32>
    /// Length of the longest pattern.
    let longestPattern: Int
    /// 65536-bit set of two-byte pattern starts.
    let startPairs: UnsafeMutablePointer<UInt8>
    /// The pair skip is valid only when no pattern is a single byte.
    let canSkip: Bool

    /// Builds the automaton; `patterns` must be non-empty byte strings.
    init(patterns: [[UInt8]]) {
        classMap = .allocate(capacity: 256)
        classMap.initialize(repeating: 0, count: 256)
        startPairs = .allocate(capacity: 8192)
        startPairs.initialize(repeating: 0, count: 8192)
        var columns: UInt32 = 1
        var longest = 0
        var shortest = Int.max
        var total = 1
        for pattern in patterns {
            longest = max(longest, pattern.count)
            shortest = min(shortest, pattern.count)
            if pattern.count >= 2 {
                let pair = Int(pattern[0]) << 8 | Int(pattern[1])
                startPairs[pair >> 3] |= UInt8(1 << (pair & 7))
            }
            total += pattern.count
            for byte in pattern where classMap[Int(byte)] == 0 {
                classMap[Int(byte)] = columns
                columns += 1
            }
        }
        let width = Int(columns)
        classCount = width
        longestPattern = longest
        canSkip = shortest >= 2

        // Trie in the transition table itself; `none` marks a missing edge until the BFS fills it.
        let none = UInt32.max
        let transitions = UnsafeMutablePointer<UInt32>.allocate(capacity: total * width)
        transitions.initialize(repeating: none, count: total * width)
        let depths = UnsafeMutablePointer<UInt32>.allocate(capacity: total)
        depths.initialize(repeating: 0, count: total)
        let terminal = UnsafeMutablePointer<UInt32>.allocate(capacity: total)
        terminal.initialize(repeating: 0, count: total)
        var states = 1
        for pattern in patterns {
            var s = 0
            for byte in pattern {
                let slot = s * width + Int(classMap[Int(byte)])
                if transitions[slot] == none {
                    transitions[slot] = UInt32(states)
                    depths[states] = depths[s] + 1
                    states += 1
                }
                s = Int(transitions[slot])
            }
            terminal[s] = UInt32(pattern.count)
        }

        // Breadth-first: failure links, the longest-suffix match of each state, and the full DFA rows.
        let fail = UnsafeMutablePointer<UInt32>.allocate(capacity: states)
        fail.initialize(repeating: 0, count: states)
        let queue = UnsafeMutablePointer<UInt32>.allocate(capacity: states)
        var head = 0
        var tail = 0
        for c in 0..<width {
            let child = transitions[c]
            if child == none {
                transitions[c] = 0
            } else {
                fail[Int(child)] = 0
                queue[tail] = child
                tail += 1
            }
        }
        while head < tail {
            let s = Int(queue[head])
            head += 1
            if terminal[s] == 0 { terminal[s] = terminal[Int(fail[s])] }
            let failRow = Int(fail[s]) * width
            for c in 0..<width {
                let slot = s * width + c
                let child = transitions[slot]
                if child == none {
                    transitions[slot] = transitions[failRow + c]
                } else {
                    fail[Int(child)] = transitions[failRow + c]
                    queue[tail] = child
                    tail += 1
                }
            }
        }
        fail.deallocate()
        queue.deallocate()

        // Premultiply targets and flag the ones that end a match.
        for slot in 0..<(states * width) {
            let target = transitions[slot]
            transitions[slot] =
                target * UInt32(width) | (terminal[Int(target)] != 0 ? MaskAutomaton.matchFlag : 0)
                | (depths[Int(target)] <= 1 ? MaskAutomaton.shallowFlag : 0)
        }
        table = transitions
        stateCount = states
        depth = depths
        matchLength = terminal
    }

    deinit {
        ccloak_wipe(table, stateCount * classCount * MemoryLayout<UInt32>.stride)
        ccloak_wipe(classMap, 256 * MemoryLayout<UInt32>.stride)
        ccloak_wipe(depth, stateCount * MemoryLayout<UInt32>.stride)
        ccloak_wipe(matchLength, stateCount * MemoryLayout<UInt32>.stride)
        ccloak_wipe(startPairs, 8192)
        startPairs.deallocate()
        table.deallocate()
        classMap.deallocate()
        depth.deallocate()
        matchLength.deallocate()
    }
}
