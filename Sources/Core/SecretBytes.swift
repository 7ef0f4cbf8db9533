public import CSodium
import Synchronization

/// Secret material: libsodium guarded memory (guard pages, mlock), read-only after construction,
/// wiped on deinit, and never rendered by `print`, interpolation, `dump` or a mirror.
///
/// Guarded memory costs several pages and kernel mappings per value, so past `guardedLimit` live values (a 10 MB
/// SOPS file has ~100,000 leaves; the kernel allows ~65,000 mappings per process) values go to ordinary heap memory
/// that is still zeroed on free and by `wipeAll` — but has no guard pages and is not locked.
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

    /// How many values may use guarded memory at once before falling back to the zeroed heap.
    public static let guardedLimit = 8192

    private static func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        let size = max(count, 1)
        return live.withLock { registry in
            if registry.guardedCount < guardedLimit, let p = sodium_malloc(size) {
                registry.regions[UInt(bitPattern: p)] = (size, true)
                registry.guardedCount += 1
                return p
            }
            guard let p = malloc(size) else { fatalError("out of memory allocating \(size) bytes for a secret") }
            registry.regions[UInt(bitPattern: p)] = (size, false)
            return p
        }
    }

    private static func isGuarded(_ p: UnsafeMutableRawPointer) -> Bool {
        live.withLock { $0.regions[UInt(bitPattern: p)]?.guarded ?? false }
    }

    /// Makes guarded memory read-only (heap fallback memory cannot be protected page by page).
    private static func seal(_ p: UnsafeMutableRawPointer) {
        if isGuarded(p) { _ = sodium_mprotect_readonly(p) }
    }

    deinit {
        let region = SecretBytes.live.withLock { registry in
            let removed = registry.regions.removeValue(forKey: UInt(bitPattern: base))
            if removed?.guarded == true { registry.guardedCount -= 1 }
            return removed
        }
        if region?.guarded ?? true {
            _ = sodium_mprotect_readwrite(base)
            sodium_free(base)  // zeroes, then unmaps with its guard pages
        } else {
            sodium_memzero(base, region?.size ?? max(count, 1))
            free(base)
        }
    }

    /// Every live secret region (address → size and whether it is guarded), so they can all be wiped at once.
    private static let live = Mutex(Registry())

    private struct Registry {
        var regions: [UInt: (size: Int, guarded: Bool)] = [:]
        var guardedCount = 0
    }

    /// Zeroes every secret currently alive in the process, whoever holds it. For the moment a launched child no
    /// longer needs cloak's copies (nothing masks its output): afterwards every `SecretBytes` reads as zeros.
    /// Returns how many regions were wiped.
    @discardableResult
    public static func wipeAll() -> Int {
        live.withLock { registry in
            for (address, region) in registry.regions {
                guard let p = UnsafeMutableRawPointer(bitPattern: address) else { continue }
                if region.guarded { _ = sodium_mprotect_readwrite(p) }
                sodium_memzero(p, region.size)
                if region.guarded { _ = sodium_mprotect_readonly(p) }
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
