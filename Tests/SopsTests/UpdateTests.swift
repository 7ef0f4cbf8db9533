import Core
import Glibc
import Testing
@testable import Sops

@Suite struct UpdateTests {
    @Test func concurrentLockedSetsNeverLoseAnUpdate() throws {
        let dir = makeTempDir()
        let path = dir + "/nested/dir/secrets.enc.json"
        let rule = SopsCreationRule.age([try Fixture.recipient()])
        let services = try Fixture.services()
        final class Box: @unchecked Sendable { var errors: [String] = [] ; var lock = pthread_mutex_t() }
        let box = Box()
        pthread_mutex_init(&box.lock, nil)
        var threads: [pthread_t] = []
        for i in 0..<8 {
            let work: @Sendable () -> Void = {
                do throws(CloakError) {
                    try SopsFile.update(path: path, services: services, newFileRule: { rule }) { (f) throws(CloakError) in
                        try f.set(.string(SecretBytes.text("value-\(i)")), at: [.key("KEY_\(i)")])
                    }
                } catch {
                    pthread_mutex_lock(&box.lock)
                    box.errors.append(error.description)
                    pthread_mutex_unlock(&box.lock)
                }
            }
            let ctx = Unmanaged.passRetained(WorkBox(work)).toOpaque()
            var t = pthread_t()
            pthread_create(&t, nil, { raw in
                let b = Unmanaged<WorkBox>.fromOpaque(raw!).takeRetainedValue()
                b.work()
                return nil
            }, ctx)
            threads.append(t)
        }
        for t in threads { pthread_join(t, nil) }
        #expect(box.errors.isEmpty, "\(box.errors)")
        let f = try SopsFile.decrypt(path: path, services: services)
        #expect(f.topLevelKeys.sorted() == (0..<8).map { "KEY_\($0)" })
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
    }

    @Test func setChangesOnlyTheEditedValue() throws {
        var f = try Fixture.decrypt("enc.json")
        try f.set(.json("\"changed\""), at: [.key("app"), .key("name")])
        try f.set(.json("42"), at: [.key("app"), .key("newkey")])
        let out = try f.encrypted(now: Fixture.lastModified(f) + 60).text.split(separator: "\n")
        let orig = try Fixture.text("enc.json").split(separator: "\n")
        #expect(out.count == orig.count + 1)
        let outSet = Set(out)
        let changed = orig.filter { !outSet.contains($0) }
        // name changed; `exp` gained a comma because newkey follows it; lastmodified and mac changed.
        #expect(changed.count == 4, "\(changed)")
        #expect(changed.contains { $0.contains("\"name\"") })
        #expect(changed.contains { $0.contains("\"lastmodified\"") })
        #expect(changed.contains { $0.contains("\"mac\"") })
        let again = try SopsFile.decrypt(Array(out.joined(separator: "\n").utf8) + [10], file: "x.json", format: .json,
                                         services: try Fixture.services())
        guard case .leaf(let l)? = again.value(at: [.key("app"), .key("newkey")]) else { Issue.record("no newkey"); return }
        #expect(l.type == .float)
        #expect(l.bytes.isEqual(to: Array("42".utf8)))
    }

    @Test func unsetRemovesKeyAndKeepsTheRest() throws {
        var f = try Fixture.decrypt("enc.env")
        let first = f.unset(at: [.key("DB_PASS")])
        let second = f.unset(at: [.key("DB_PASS")])
        #expect(first && !second)
        let out = try f.encrypted(now: Fixture.lastModified(f)).text
        #expect(!out.contains("DB_PASS="))
        let orig = try Fixture.text("enc.env")
        for line in orig.split(separator: "\n") where line.hasPrefix("DB_USER=") || line.hasPrefix("MULTI=") {
            #expect(out.contains(line))
        }
    }

    @Test func newFileFromExplicitRecipientsRoundTrips() throws {
        let plain = try Fixture.bytes("plain.json")
        let enc = try SopsFile.encrypt(plaintext: plain, file: "new.json", format: .json,
                                       rule: .age([try Fixture.recipient(), try Fixture.recipient("key2.txt")]),
                                       services: try Fixture.services())
        let f = try SopsFile.decrypt(enc, file: "new.json", format: .json, services: try Fixture.services(["key2.txt"]))
        #expect(try f.plaintext().text == (try Fixture.text("dec.json")))
        #expect(f.metadata.keyGroups[0].entries.count == 2)
        #expect(f.metadata.rules.unencryptedSuffix == "_unencrypted")
    }

    @Test func shamirSplitCombines() throws {
        let key = SecretBytes.random(count: 32)
        let shares = try Shamir.split(key, parts: 3, threshold: 2)
        #expect(try Shamir.combine([shares[0], shares[2]]).isEqual(to: key))
        #expect(try Shamir.combine([shares[1], shares[0]]).isEqual(to: key))
        #expect(!(try Shamir.combine([shares[1], shares[1].copyWithX(9)])).isEqual(to: key))
    }
}

final class WorkBox: @unchecked Sendable {
    let work: @Sendable () -> Void
    init(_ w: @escaping @Sendable () -> Void) { work = w }
}

extension SecretBytes {
    func copyWithX(_ x: UInt8) -> SecretBytes {
        var b = withUnsafeBytes { Array($0) }
        b[b.count - 1] = x
        return SecretBytes(consuming: &b)
    }
}
