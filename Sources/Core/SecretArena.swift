import Glibc

/// Fixed-size slots for small secrets, carved (2 KiB per size class at a time) from 16 KiB chunks that are locked in RAM (`mlock`), excluded from
/// core dumps (`MADV_DONTDUMP`), wiped in a forked child (`MADV_WIPEONFORK`), and fenced by an inaccessible guard
/// page on each side. Slots are zeroed when released.
///
/// Why not one `sodium_malloc` per value: that costs seven system calls and three kernel mappings per secret
/// (mmap, guard pages, mlock, mprotect on the way in; mprotect, munlock, munmap on the way out) — most of the time
/// `cloak exec` spent on 50 SOPS values, and a process may only hold ~65,000 mappings. Chunks hold many values
/// and are never unmapped, so a slot costs no system call. Slots stay writable: toggling a locked chunk read-only
/// around each write made the kernel re-populate all its pages every time (measured: 14% of an exec).
///
/// Not thread-safe on its own: `SecretBytes` calls it under its registry lock.
struct SecretArena {
    /// Slot sizes; larger values use their own guarded allocation.
    static let slotSizes = [32, 64, 128, 256, 512, 1024, 2048]
    /// The largest value a slot holds.
    static var largestSlot: Int { slotSizes[slotSizes.count - 1] }
    // Small: locking a chunk makes the kernel allocate and clear every page of it at once.
    static let chunkBytes = 16 * 1024
    /// What a size class takes from a chunk at a time. Classes share chunks: each chunk costs five system calls
    /// and its pages are populated by mlock (~30 µs), and one per class was a measurable part of `cloak exec`.
    static let runBytes = 2048

    /// One mapping: a guard page, `chunkBytes` of slots of one size, a guard page.
    struct Chunk {
        let base: UnsafeMutableRawPointer
        let locked: Bool
    }

    /// Where a slot lives.
    struct Slot: Equatable {
        let chunk: Int
        let sizeClass: Int
    }

    private(set) var chunks: [Chunk] = []
    /// Bytes of the newest chunk already handed to a size class (full until the first chunk is mapped).
    private var carved = SecretArena.chunkBytes
    /// Free slots per size class, with the chunk each lies in.
    private var free: [[(UnsafeMutableRawPointer, Int)]] = Array(repeating: [], count: slotSizes.count)

    /// The size class for `size` bytes, or nil when it needs its own allocation.
    static func sizeClass(for size: Int) -> Int? {
        slotSizes.firstIndex { size <= $0 }
    }

    /// A slot for `size` bytes, or nil when the size has no class or the kernel refuses another mapping.
    mutating func allocate(_ size: Int) -> (UnsafeMutableRawPointer, Slot)? {
        guard let sizeClass = SecretArena.sizeClass(for: size) else { return nil }
        if free[sizeClass].isEmpty, !addRun(sizeClass) { return nil }
        let (p, chunk) = free[sizeClass].removeLast()
        return (p, Slot(chunk: chunk, sizeClass: sizeClass))
    }

    /// Zeroes the slot and makes it available again.
    mutating func release(_ p: UnsafeMutableRawPointer, _ slot: Slot) {
        memset(p, 0, SecretArena.slotSizes[slot.sizeClass])
        free[slot.sizeClass].append((p, slot.chunk))
    }

    /// Zeroes every slot of every chunk (used and free alike).
    mutating func wipeAll() {
        for chunk in chunks { memset(chunk.base, 0, SecretArena.chunkBytes) }
    }

    /// Whether every chunk so far could be locked in RAM.
    var allLocked: Bool { chunks.allSatisfy(\.locked) }

    /// Gives `sizeClass` the next `runBytes` of the newest chunk, mapping a new chunk when that one is used up.
    private mutating func addRun(_ sizeClass: Int) -> Bool {
        if carved + SecretArena.runBytes > SecretArena.chunkBytes {
            guard addChunk() else { return false }
            carved = 0
        }
        let index = chunks.count - 1
        let run = chunks[index].base + carved
        carved += SecretArena.runBytes
        let size = SecretArena.slotSizes[sizeClass]
        var offset = SecretArena.runBytes - size
        while offset >= 0 {
            free[sizeClass].append((run + offset, index))
            offset -= size
        }
        return true
    }

    private mutating func addChunk() -> Bool {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let total = SecretArena.chunkBytes + 2 * page
        let mapped = mmap(nil, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { return false }
        let base = mapped + page
        guard mprotect(base, SecretArena.chunkBytes, PROT_READ | PROT_WRITE) == 0 else {
            munmap(mapped, total)
            return false
        }
        _ = madvise(base, SecretArena.chunkBytes, MADV_DONTDUMP)
        _ = madvise(base, SecretArena.chunkBytes, 18)  // MADV_WIPEONFORK (Linux 4.14+); older kernels ignore it
        // A failed mlock (ulimit -l) keeps the memory usable: Sandbox.memoryLockStatus warns once about swap.
        let locked = mlock(base, SecretArena.chunkBytes) == 0
        chunks.append(Chunk(base: base, locked: locked))
        return true
    }
}
