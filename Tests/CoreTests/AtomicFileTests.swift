import Core
import Foundation
import Testing

@Suite struct AtomicFileTests {
    /// A pid that certainly belonged to a process which has exited and been reaped.
    private func deadPid() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    private func makeDirectory() -> String {
        let dir = NSTemporaryDirectory() + "atomicfile-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func updateRemovesTemporariesOfDeadWritersOnly() throws {
        let dir = makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/s.enc.yaml"
        try AtomicFile.write(path: target, bytes: Array("old".utf8))
        let dead = try deadPid()
        let stale = dir + "/.s.enc.yaml.tmp-\(dead)-00112233"
        let live = dir + "/.s.enc.yaml.tmp-\(getpid())-44556677"
        let legacy = dir + "/.s.enc.yaml.tmp-8899aabbccddeeff"
        let otherTarget = dir + "/.other.yaml.tmp-\(dead)-00112233"
        for f in [stale, live, legacy, otherTarget] {
            #expect(FileManager.default.createFile(atPath: f, contents: Data("ciphertext".utf8)))
        }

        try AtomicFile.update(path: target) { existing in
            #expect(existing == Array("old".utf8))
            return Array("new".utf8)
        }

        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(!names.contains(".s.enc.yaml.tmp-\(dead)-00112233"), "a dead writer's temporary file is swept")
        #expect(names.contains(".s.enc.yaml.tmp-\(getpid())-44556677"), "a live writer's temporary file is kept")
        #expect(names.contains(".s.enc.yaml.tmp-8899aabbccddeeff"), "a temporary file without a pid is kept")
        #expect(names.contains(".other.yaml.tmp-\(dead)-00112233"), "another target's temporary file is kept")
        #expect(try AtomicFile.readIfExists(target) == Array("new".utf8))
    }

    @Test func noTemporaryFileIsLeftAfterAnUpdate() throws {
        let dir = makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.update(path: dir + "/f") { _ in
            // The update holds the lock here; its own temporary file does not exist yet.
            Array("x".utf8)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["f"])
    }
}
