import Core
import Testing

@Suite struct SecretBytesTests {
    @Test func neverPrintsItsValue() {
        var raw = Array("hunter2-very-secret".utf8)
        let secret = SecretBytes(consuming: &raw)
        #expect(raw.isEmpty)
        let renderings = [
            "\(secret)", String(describing: secret), String(reflecting: secret),
            "\([secret])", "\(["k": secret])", dumped(secret), dumped(Wrapper(inner: secret)),
        ]
        for text in renderings {
            #expect(!text.contains("hunter2"), "leaked through: \(text)")
        }
        #expect(secret.unsafeString() == "hunter2-very-secret")
    }

    @Test func comparesAndSearchesWithoutExposing() {
        var a = Array("abcdef".utf8)
        var b = Array("abcdef".utf8)
        let x = SecretBytes(consuming: &a)
        let y = SecretBytes(consuming: &b)
        #expect(x.isEqual(to: y))
        #expect(x.isEqual(to: Array("abcdef".utf8)))
        #expect(!x.isEqual(to: Array("abcdeg".utf8)))
        #expect(x.contains(Array("cde".utf8)))
        #expect(!x.contains(Array("ced".utf8)))
    }

    @Test func randomHasRequestedLength() {
        let r1 = SecretBytes.random(count: 32)
        let r2 = SecretBytes.random(count: 32)
        #expect(r1.count == 32)
        #expect(!r1.isEqual(to: r2))
    }

    private struct Wrapper { var inner: SecretBytes }

    private func dumped(_ value: some Any) -> String {
        var out = ""
        dump(value, to: &out)
        return out
    }
}

@Suite struct SecretBytesFailureTests {
    struct Boom: Error {}

    @Test func throwingFillIsCleanedUpOnce() {
        #expect(throws: Boom.self) {
            _ = try SecretBytes(count: 16) { (_: UnsafeMutableRawBufferPointer) throws(Boom) in throw Boom() }
        }
        // A second allocation after the failed one proves the allocator state is intact.
        let after = SecretBytes.random(count: 16)
        #expect(after.count == 16)
    }
}

@Suite struct SecretBytesVolumeTests {
    @Test func manyMoreValuesThanGuardedMemoryCanHold() {
        // A 10 MB SOPS file holds ~100,000 values; guarded allocations alone would exhaust the process's mappings.
        var values: [SecretBytes] = []
        values.reserveCapacity(SecretBytes.guardedLimit * 3)
        for i in 0..<(SecretBytes.guardedLimit * 3) {
            var bytes = Array("value-\(i)".utf8)
            values.append(SecretBytes(consuming: &bytes))
        }
        #expect(values[0].unsafeString() == "value-0")
        #expect(values[values.count - 1].unsafeString() == "value-\(values.count - 1)")
        values.removeAll()
        var again = Array("after".utf8)
        #expect(SecretBytes(consuming: &again).unsafeString() == "after")
    }
}
