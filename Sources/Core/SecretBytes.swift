public import CSodium
import Synchronization

/// Secret material: locked, never-dumped memory fenced by guard pages, wiped on deinit, and never rendered by
/// `print`, interpolation, `dump` or a mirror.
///
/// Values up to 2 KiB live in `SecretArena` slots (many per locked mapping, no system call per value); larger ones
/// get their own libsodium guarded allocation, read-only after construction. Guarded allocations cost kernel mappings,
/// so past `guardedLimit` live large values further ones go to ordinary heap memory that is still zeroed on free
/// and by `wipeAll` — but has no guard pages and is not locked.
public final class SecretBytes: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    /// Number of secret bytes.
    public let count: Int

    /// Copies `bytes` in, then wipes and empties the caller's buffer.
    public init(consuming bytes: inout [UInt8]) {
        base = SecretBytes.allocate(bytes.count)
        count = bytes.count
        bytes.withUnsafeMutableBytes { src in
            if let s = src.baseAddress, src.count > 0 {
                base.copyMemory(from: s, byteCount: src.count)
                sodium_memzero(s, src.count)
            }
        }
        bytes.removeAll()
        SecretBytes.seal(base)
    }

    /// Copies from a raw buffer the caller owns (and wipes itself).
    public init(copying buffer: UnsafeRawBufferPointer) {
        base = SecretBytes.allocate(buffer.count)
        count = buffer.count
        if let s = buffer.baseAddress, buffer.count > 0 { base.copyMemory(from: s, byteCount: buffer.count) }
        SecretBytes.seal(base)
    }

    /// Builds a secret of `count` bytes by letting `fill` write straight into guarded memory.
    public init<E: Error>(count: Int, fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        base = SecretBytes.allocate(count)
        self.count = count
        do {
            try fill(UnsafeMutableRawBufferPointer(start: base, count: count))
        } catch {
            // deinit still runs for a class whose stored properties are all set, and frees the memory there.
            sodium_memzero(base, max(count, 1))
            SecretBytes.seal(base)
            throw error
        }
        SecretBytes.seal(base)
    }

    /// `count` bytes from the operating system's CSPRNG that are not secret (salts, nonces, IVs, file names).
    public static func randomPublic(count: Int) -> [UInt8] {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { if let p = $0.baseAddress { randombytes_buf(p, $0.count) } }
        return bytes
    }

    /// `count` bytes from the operating system's CSPRNG.
    public static func random(count: Int) -> SecretBytes {
        SecretBytes(count: count) { buf in
            if let p = buf.baseAddress { randombytes_buf(p, buf.count) }
        }
    }

    /// How many large (guarded) values may be alive at once before falling back to the zeroed heap.
    public static let guardedLimit = 8192

    /// Memory for `count` bytes, writable until `seal` is called.
    private static func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        let size = max(count, 1)
        return live.withLock { registry in
            if let (p, slot) = registry.arena.allocate(size) {
                registry.regions[UInt(bitPattern: p)] = Region(size: size, kind: .slot(slot))
                return p
            }
            if registry.guardedCount < guardedLimit, let p = sodium_malloc(size) {
                registry.regions[UInt(bitPattern: p)] = Region(size: size, kind: .guarded)
                registry.guardedCount += 1
                return p
            }
            guard let p = malloc(size) else { fatalError("out of memory allocating \(size) bytes for a secret") }
            registry.regions[UInt(bitPattern: p)] = Region(size: size, kind: .heap)
            return p
        }
    }

    /// Makes a large value read-only (slots share pages with other values; heap memory cannot be protected).
    private static func seal(_ p: UnsafeMutableRawPointer) {
        live.withLock { registry in
            switch registry.regions[UInt(bitPattern: p)]?.kind {
            case .guarded: _ = sodium_mprotect_readonly(p)
            case .slot, .heap, nil: break
            }
        }
    }

    deinit {
        SecretBytes.live.withLock { registry in
            let region = registry.regions.removeValue(forKey: UInt(bitPattern: base))
            switch region?.kind {
            case .slot(let slot):
                registry.arena.release(base, slot)
            case .guarded, nil:
                if region != nil { registry.guardedCount -= 1 }
                _ = sodium_mprotect_readwrite(base)
                sodium_free(base)  // zeroes, then unmaps with its guard pages
            case .heap:
                sodium_memzero(base, region?.size ?? max(count, 1))
                free(base)
            }
        }
    }

    /// Every live secret region (address → size and kind), so they can all be wiped at once.
    private static let live = Mutex(Registry())

    private struct Region {
        enum Kind { case slot(SecretArena.Slot), guarded, heap }
        let size: Int
        let kind: Kind
    }

    private struct Registry {
        var regions: [UInt: Region] = [:]
        var arena = SecretArena()
        var guardedCount = 0
    }

    /// Zeroes every secret currently alive in the process, whoever holds it. For the moment a launched child no
    /// longer needs cloak's copies (nothing masks its output): afterwards every `SecretBytes` reads as zeros.
    /// Returns how many values were wiped.
    @discardableResult
    public static func wipeAll() -> Int {
        live.withLock { registry in
            registry.arena.wipeAll()
            for (address, region) in registry.regions {
                guard let p = UnsafeMutableRawPointer(bitPattern: address) else { continue }
                switch region.kind {
                case .slot: continue
                case .guarded:
                    _ = sodium_mprotect_readwrite(p)
                    sodium_memzero(p, region.size)
                    _ = sodium_mprotect_readonly(p)
                case .heap:
                    sodium_memzero(p, region.size)
                }
            }
            return registry.regions.count
        }
    }

    /// The only way to read the bytes: scoped, never escaping.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Constant-time comparison.
    public func isEqual(to other: SecretBytes) -> Bool {
        count == other.count && sodium_memcmp(base, other.base, count) == 0
    }

    /// Constant-time comparison with plain bytes.
    public func isEqual(to bytes: some Collection<UInt8>) -> Bool {
        let other = Array(bytes)
        guard other.count == count else { return false }
        return other.withUnsafeBytes { sodium_memcmp(base, $0.baseAddress, count) == 0 }
    }

    /// Whether the bytes contain `needle` (used by var-file scrubbing and masking, never printed).
    public func contains(_ needle: some Collection<UInt8>) -> Bool {
        let n = Array(needle)
        if n.isEmpty { return true }
        return withUnsafeBytes { hay in
            guard hay.count >= n.count else { return false }
            var i = 0
            while i + n.count <= hay.count {
                if hay[i] == n[0] {
                    var j = 1
                    while j < n.count && hay[i + j] == n[j] { j += 1 }
                    if j == n.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// Whether the bytes are valid UTF-8 (needed before a value may become an environment string).
    public var isValidUTF8: Bool {
        withUnsafeBytes { buf in
            var it = buf.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&it) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }

    /// Decodes as UTF-8 into a transient `String`. Only for code paths that must hand the value to an API
    /// taking `String` (templating, JSON paths); keep the result's lifetime to one function.
    public func unsafeString() -> String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "<redacted \(count) bytes>" }
    public var debugDescription: String { "SecretBytes(<redacted \(count) bytes>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
