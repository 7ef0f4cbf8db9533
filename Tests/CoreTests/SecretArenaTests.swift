import Glibc
import Testing

@testable import Core

/// Small secrets live in shared arena chunks; these tests check the kernel's view of that memory (through
/// /proc/self/smaps) rather than trusting the allocator's own bookkeeping.
@Suite(.serialized) struct SecretArenaTests {
    @Test func valuesOfEverySizeRoundTrip() {
        for size in [0, 1, 31, 32, 33, 64, 500, 2047, 2048, 2049, 10_000] {
            var bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
            let expected = bytes
            let secret = SecretBytes(consuming: &bytes)
            #expect(secret.count == size)
            #expect(secret.isEqual(to: expected), "size \(size)")
        }
    }

    @Test func smallValuesAreLockedNeverDumpedAndFenced() throws {
        var bytes = Array("a small secret".utf8)
        let secret = SecretBytes(consuming: &bytes)
        let address = secret.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        let mapping = try #require(Mapping.containing(address), "no mapping holds the secret")
        #expect(mapping.flags.contains("dd"), "MADV_DONTDUMP missing: \(mapping.flags)")
        #expect(mapping.flags.contains("wf"), "MADV_WIPEONFORK missing: \(mapping.flags)")
        // A sanitizer's runtime turns mlock into a no-op that reports success, so "lo" cannot appear under one.
        if Self.canLock && getenv("CLOAK_SANITIZER") == nil {
            #expect(mapping.flags.contains("lo"), "not mlocked: \(mapping.flags)")
        }
        let before = try #require(Mapping.containing(mapping.start - 1), "nothing mapped before the chunk")
        let after = try #require(Mapping.containing(mapping.end), "nothing mapped after the chunk")
        #expect(before.permissions.hasPrefix("---"), "no guard page before: \(before.permissions)")
        #expect(after.permissions.hasPrefix("---"), "no guard page after: \(after.permissions)")
    }

    @Test func sizeClassesShareChunksRunByRun() throws {
        // One value of every size class fits in one chunk (seven 2 KiB runs), so one mapping serves them all.
        var arena = SecretArena()
        var slots: [(UnsafeMutableRawPointer, SecretArena.Slot)] = []
        for size in SecretArena.slotSizes {
            let slot = arena.allocate(size)
            slots.append(try #require(slot))
        }
        #expect(arena.chunks.count == 1)
        let base = try #require(arena.chunks.first).base
        for (pointer, slot) in slots {
            let offset = pointer - base
            #expect(offset >= 0 && offset + SecretArena.slotSizes[slot.sizeClass] <= SecretArena.chunkBytes)
        }
        // Runs never overlap: every slot starts at a distinct address.
        #expect(Set(slots.map { Int(bitPattern: $0.0) }).count == slots.count)
        // A 2048-byte run holds one slot: the eighth run still fits the first chunk, the ninth maps a second.
        let eighth = arena.allocate(2048)
        #expect(eighth != nil && arena.chunks.count == 1)
        let ninth = arena.allocate(2048)
        #expect(ninth != nil && arena.chunks.count == 2)
        for (pointer, slot) in slots { arena.release(pointer, slot) }
    }

    @Test func releasedSlotsAreZeroed() {
        let original = SecretBytes.randomPublic(count: 40)
        var address: UnsafeRawPointer?
        do {
            var bytes = original
            let secret = SecretBytes(consuming: &bytes)
            address = secret.withUnsafeBytes { $0.baseAddress }
            #expect(secret.isEqual(to: original))
        }
        // The chunk stays mapped after release, so the old slot can still be read. Tests run in parallel and may
        // reuse the slot at once, so the check is that our bytes are gone (zeroed, or overwritten by a new value).
        let leftover = UnsafeRawBufferPointer(start: address, count: original.count)
        #expect(!leftover.elementsEqual(original), "released slot still holds the secret")
    }

    // `SecretBytes.wipeAll()` is not tested here: it zeroes every live secret of the process, including those of
    // tests running in parallel. integration/tests/launch.sh checks it in a real `cloak exec` (scanning /proc/PID/mem).

    /// Whether this process may lock memory at all (root, or a non-zero RLIMIT_MEMLOCK).
    static var canLock: Bool {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let p = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            return false
        }
        defer { munmap(p, page) }
        return mlock(p, page) == 0
    }
}

/// One line of /proc/self/maps with its VmFlags from /proc/self/smaps.
private struct Mapping {
    let start: UInt
    let end: UInt
    let permissions: String
    let flags: [String]

    static func containing(_ address: UInt) -> Mapping? {
        guard let text = readAll("/proc/self/smaps") else { return nil }
        var current: (UInt, UInt, String)?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), fields.count >= 5, !range.hasSuffix(":") {
                let bounds = range.split(separator: "-")
                if bounds.count == 2, let lo = UInt(bounds[0], radix: 16), let hi = UInt(bounds[1], radix: 16) {
                    current = (lo, hi, String(fields[1]))
                    continue
                }
            }
            if line.hasPrefix("VmFlags:"), let (lo, hi, perms) = current, address >= lo, address < hi {
                return Mapping(start: lo, end: hi, permissions: perms, flags: fields.dropFirst().map(String.init))
            }
        }
        return nil
    }

    private static func readAll(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
