import CSodium

/// A growable byte buffer in libsodium guarded memory, wiped when it grows and when it is freed. Used to collect
/// HTTP bodies and to build request bodies that carry secret values. Not thread-safe; one owner at a time.
public final class SecureBuffer: @unchecked Sendable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes written so far.
    public private(set) var count: Int = 0

    /// An empty buffer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 4096) {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        self.capacity = max(capacity, 64)
        guard let p = sodium_malloc(self.capacity) else { fatalError("sodium_malloc failed: out of memory") }
        base = p
    }

    deinit { sodium_free(base) }

    /// Appends raw bytes, growing (copy, then wipe and free the old region) when needed.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let src = bytes.baseAddress else { return }
        reserve(count + bytes.count)
        (base + count).copyMemory(from: src, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends plain bytes (non-secret syntax such as JSON punctuation and names).
    public func append(_ bytes: some Collection<UInt8>) {
        Array(bytes).withUnsafeBytes { append($0) }
    }

    /// Appends a string's UTF-8.
    public func append(_ text: String) {
        var t = text
        t.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends one byte.
    public func append(byte: UInt8) {
        reserve(count + 1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Appends a secret's bytes.
    public func append(_ secret: SecretBytes) {
        secret.withUnsafeBytes { append($0) }
    }

    /// Wipes the content and forgets it (capacity is kept).
    public func reset() {
        sodium_memzero(base, capacity)
        count = 0
    }

    /// Scoped read access to the bytes written.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Copies `range` of the content into a new secret.
    public func secret(_ range: Range<Int>? = nil) -> SecretBytes {
        let r = range ?? 0..<count
        precondition(r.lowerBound >= 0 && r.upperBound <= count, "range out of bounds")
        return SecretBytes(copying: UnsafeRawBufferPointer(start: base + r.lowerBound, count: r.count))
    }

    private func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        guard let p = sodium_malloc(newCapacity) else { fatalError("sodium_malloc failed: out of memory") }
        p.copyMemory(from: base, byteCount: count)
        sodium_free(base)
        base = p
        capacity = newCapacity
    }
}
