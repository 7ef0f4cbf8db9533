import CCloakLinux

/// Streaming replacement of one output stream (one per stream: stdout and stderr keep separate carries).
///
/// Every run of bytes covered by matches that overlap one another becomes one replacement (for non-overlapping
/// matches this is leftmost-longest; for overlapping secrets nothing of either leaks). Bytes that cannot be part
/// of a match are released at once, without waiting for a newline; what is held back (the carry) is at most the
/// current partial match, shorter than the longest pattern. `flush()` releases the carry when the stream is idle
/// or ends, while keeping the automaton state, so the rest of a secret split by a pause is still masked.
public final class Masker {
    private struct Interval {
        var start: Int
        var end: Int
        var marked: Bool
    }

    private let set: MaskSet
    private let automaton: MaskAutomaton?
    /// Current state as a row offset.
    private var state: UInt32 = 0
    /// Absolute offset of the next input byte.
    private var position = 0
    /// Absolute offset up to which input has been written out or swallowed by a replacement.
    private var emitted = 0
    /// The held bytes `[emitted, position)`.
    private var carry: [UInt8] = []
    /// Matched runs not yet fully released, sorted and disjoint.
    private var intervals: [Interval] = []

    /// A masker for `set`.
    public init(_ set: MaskSet) {
        self.set = set
        automaton = set.automaton
    }

    deinit { wipeCarry() }

    /// Bytes held back waiting for more input.
    public var pendingCount: Int { position - emitted }

    /// Feeds `input`, appending everything that can already be released to `output`.
    public func process(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard let automaton else {
            output.append(contentsOf: input)
            return
        }
        let count = input.count
        guard count > 0, let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let chunkStart = position
        let table = automaton.table
        let classes = automaton.classMap
        let pairs = automaton.startPairs
        let canSkip = automaton.canSkip
        var s = state
        var i = 0
        while i < count {
            s = table[Int(s &+ classes[Int(base[i])])]
            i &+= 1
            guard s & MaskAutomaton.flags != 0 else { continue }
            if s & MaskAutomaton.matchFlag != 0 {
                record(end: chunkStart + i, state: s & ~MaskAutomaton.flags, automaton)
            }
            guard canSkip, s & MaskAutomaton.shallowFlag != 0 else {
                s &= ~MaskAutomaton.flags
                continue
            }
            // Shallow: a match can only begin at i - depth or later, and only where a pattern's first two
            // bytes begin. Jump to the next such pair and restart from the root there.
            var j = (s & ~MaskAutomaton.flags) == 0 ? i : i &- 1
            while j &+ 1 < count {
                let pair = Int(base[j]) &<< 8 | Int(base[j &+ 1])
                if pairs[pair &>> 3] & UInt8(truncatingIfNeeded: 1 &<< (pair & 7)) != 0 { break }
                j &+= 1
            }
            if j &+ 1 >= count {
                // No pair starts inside the chunk; the state after the last byte is its root transition.
                s = j < count ? table[Int(classes[Int(base[j])])] & ~MaskAutomaton.flags : 0
                i = count
                break
            }
            s = table[Int(table[Int(classes[Int(base[j])])] & ~MaskAutomaton.flags &+ classes[Int(base[j &+ 1])])]
            i = j &+ 2
            if s & MaskAutomaton.matchFlag != 0 {
                record(end: chunkStart + i, state: s & ~MaskAutomaton.flags, automaton)
            }
            s &= ~MaskAutomaton.flags
        }
        state = s
        position = chunkStart + count
        let safe = position - Int(automaton.depth[Int(s) / automaton.classCount])
        release(limit: safe, closeBefore: safe, forced: false, chunk: base, chunkStart: chunkStart, into: &output)
    }

    /// Convenience for whole buffers.
    public func process(_ input: [UInt8], into output: inout [UInt8]) {
        input.withUnsafeBytes { process($0, into: &output) }
    }

    /// Releases everything held (idle stream or end of stream): pending matches become replacements, partial
    /// prefixes go out as they are.
    public func flush(into output: inout [UInt8]) {
        guard let automaton, position > emitted || !intervals.isEmpty else { return }
        let open = position - Int(automaton.depth[Int(state) / automaton.classCount])
        release(limit: position, closeBefore: open, forced: true, chunk: nil, chunkStart: position, into: &output)
    }

    @inline(never)
    private func record(end: Int, state s: UInt32, _ automaton: MaskAutomaton) {
        let length = Int(automaton.matchLength[Int(s) / automaton.classCount])
        var interval = Interval(start: end - length, end: end, marked: false)
        // Merge with every pending run this match overlaps (they all end no later than it does).
        while let last = intervals.last, last.end > interval.start {
            interval.start = min(interval.start, last.start)
            interval.marked = interval.marked || last.marked
            intervals.removeLast()
        }
        if !interval.marked { interval.start = max(interval.start, emitted) }
        intervals.append(interval)
    }

    private func release(
        limit: Int,
        closeBefore: Int,
        forced: Bool,
        chunk: UnsafePointer<UInt8>?,
        chunkStart: Int,
        into output: inout [UInt8]
    ) {
        let carryStart = emitted
        func copy(_ from: Int, _ to: Int) {
            guard to > from else { return }
            var a = from
            if a < chunkStart {
                let b = min(to, chunkStart)
                carry.withUnsafeBufferPointer { output.append(contentsOf: $0[(a - carryStart)..<(b - carryStart)]) }
                a = b
            }
            if a < to, let chunk {
                output.append(contentsOf: UnsafeBufferPointer(start: chunk + (a - chunkStart), count: to - a))
            }
        }
        var kept: [Interval] = []
        var stopped = false
        for var interval in intervals {
            if stopped {
                kept.append(interval)
                continue
            }
            if !interval.marked {
                // Its start is final only once no match still in progress can begin before it.
                if interval.start > limit {
                    if limit > emitted {
                        copy(emitted, limit)
                        emitted = limit
                    }
                    stopped = true
                    kept.append(interval)
                    continue
                }
                copy(emitted, interval.start)
                output.append(contentsOf: set.replacement)
                interval.marked = true
            }
            emitted = max(emitted, interval.end)
            if interval.end > closeBefore {
                kept.append(interval)
                if !forced { stopped = true }
            }
        }
        intervals = kept
        if !stopped && limit > emitted {
            copy(emitted, limit)
            emitted = limit
        }
        // Keep [emitted, position) as the new carry.
        var next: [UInt8] = []
        if position > emitted {
            next.reserveCapacity(position - emitted)
            let from = emitted
            if from < chunkStart {
                carry.withUnsafeBufferPointer {
                    next.append(contentsOf: $0[(from - carryStart)..<(chunkStart - carryStart)])
                }
            }
            if let chunk {
                let a = max(from, chunkStart)
                next.append(contentsOf: UnsafeBufferPointer(start: chunk + (a - chunkStart), count: position - a))
            }
        }
        wipeCarry()
        carry = next
    }

    private func wipeCarry() {
        carry.withUnsafeMutableBytes { ccloak_wipe($0.baseAddress, $0.count) }
    }
}
