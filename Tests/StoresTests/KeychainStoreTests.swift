import Core
import Glibc
import Testing
import YAML

@testable import Stores

@Suite struct KeychainStoreTests {
    static let c = SecretCoordinate(stack: "plat-dev", component: "api", key: "K")

    func tempDir() -> String {
        var template = Array("/tmp/cloak-kc-XXXXXX".utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(cString: p!) + "/keyring"
    }

    func fileStore(_ dir: String, password: String? = "pw-1") -> KeychainStore {
        var env: [String: String] = [:]
        if let password { env["ATMOS_KEYRING_PASSWORD"] = password }
        var o = KeychainStoreOptions(name: "local", fileDir: dir)
        o.backend = .file
        return KeychainStore(options: o, environment: testEnvironment(env))
    }

    @Test func itemNamesAndLocality() {
        let s = KeychainStore(options: KeychainStoreOptions(name: "kc", fileDir: "/x"), keyring: MemoryKeyring())
        #expect(s.itemName(Self.c) == "atmos/plat/dev/api/K")
        #expect(s.itemName(SecretCoordinate(stack: "", component: "", key: "G")) == "atmos/G")
        #expect(s.isLocal)
    }

    @Test func fileBackendRoundTripsEncryptedAt0600() throws {
        let dir = tempDir()
        let s = fileStore(dir)
        try s.set(Self.c, .text(StoresFixtures.secret("plain-secret-value")))
        try s.set(SecretCoordinate(stack: "", component: "", key: "J"), .json(StoresFixtures.secret(#"{"a":1}"#)))
        #expect(try s.exists(Self.c))
        let v = try fileStore(dir).get(Self.c)
        #expect(!v.isJSON && v.bytes.unsafeString() == "plain-secret-value")
        let j = try fileStore(dir).get(SecretCoordinate(stack: "", component: "", key: "J"))
        #expect(j.isJSON && j.bytes.unsafeString() == #"{"a":1}"#)
        let file = (s.keyring as! FileKeyring).path(service: "atmos/plat/dev/api/K", account: "atmos-secrets")
        let bytes = try FileSystem.readBytes(file)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("plain-secret-value"))
        var st = stat()
        #expect(stat(file, &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(stat(dir, &st) == 0 && st.st_mode & 0o777 == 0o700)
    }

    @Test func wrongOrMissingPasswordFailsButExistsNeedsNone() throws {
        let dir = tempDir()
        try fileStore(dir).set(Self.c, .text(StoresFixtures.secret("v")))
        #expect { _ = try fileStore(dir, password: "other").get(Self.c) } throws: { e in
            (e as? CloakError)?.code == .decrypt
        }
        #expect { _ = try fileStore(dir, password: nil).get(Self.c) } throws: { e in
            (e as? CloakError)?.message.contains("ATMOS_KEYRING_PASSWORD") == true
        }
        #expect(try fileStore(dir, password: nil).exists(Self.c))
    }

    @Test func swappedItemFilesAreDetected() throws {
        let dir = tempDir()
        let s = fileStore(dir)
        let other = SecretCoordinate(stack: "plat-dev", component: "api", key: "OTHER")
        try s.set(Self.c, .text(StoresFixtures.secret("a")))
        try s.set(other, .text(StoresFixtures.secret("b")))
        let kr = s.keyring as! FileKeyring
        let pa = kr.path(service: s.itemName(Self.c), account: "atmos-secrets")
        let pb = kr.path(service: s.itemName(other), account: "atmos-secrets")
        try AtomicFile.write(path: pa, bytes: try FileSystem.readBytes(pb))
        #expect { _ = try fileStore(dir).get(Self.c) } throws: { e in
            (e as? CloakError)?.message.contains("belongs to another name") == true
        }
    }

    @Test func deleteIsIdempotentAndMissingIsNotInitialized() throws {
        let dir = tempDir()
        let s = fileStore(dir)
        try s.set(Self.c, .text(StoresFixtures.secret("v")))
        try s.delete(Self.c)
        try s.delete(Self.c)
        #expect(try !s.exists(Self.c))
        #expect { _ = try s.get(Self.c) } throws: { e in (e as? CloakError)?.code == .notInitialized }
    }

    @Test func memoryBackendStoresJSONEncodedStrings() throws {
        let kr = MemoryKeyring()
        let s = KeychainStore(options: KeychainStoreOptions(name: "m", fileDir: "/x"), keyring: kr)
        try s.set(Self.c, .text(StoresFixtures.secret("x\"y")))
        #expect(kr.read(service: "atmos/plat/dev/api/K", account: "atmos-secrets")?.unsafeString() == #""x\"y""#)
        #expect(try s.get(Self.c).bytes.unsafeString() == "x\"y")
    }

    @Test func concurrentFirstWritersAgreeOnOneSalt() throws {
        let dir = tempDir()
        let keys = (0..<4).map { SecretCoordinate(stack: "", component: "", key: "K\($0)") }
        let stores = keys.map { _ in fileStore(dir) }
        BlockingThreads.forEach(count: 4, width: 4) { i in
            try? stores[i].set(keys[i], .text(StoresFixtures.secret("v\(i)")))
        }
        let reader = fileStore(dir)
        for (i, k) in keys.enumerated() { #expect(try reader.get(k).bytes.unsafeString() == "v\(i)") }
    }

    @Test func systemBackendTimeoutOptionAndMissingBus() throws {
        let yaml = try YAMLLoader.loadSingle("backend: system\ntimeout: 3s\n", file: "atmos.yaml")
        let o = try KeychainStoreOptions.parse(name: "desk", options: yaml, environment: testEnvironment())
        #expect(o.backend == .system && o.timeout == 3)
        let store = KeychainStore(options: o, environment: testEnvironment(["XDG_RUNTIME_DIR": "/nonexistent"]))
        let keyring = try #require(store.keyring as? SecretServiceKeyring)
        #expect(keyring.timeout == 3)
        #expect {
            _ = try store.exists(Self.c)
        } throws: { e in
            (e as? CloakError)?.message
                == "keychain: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); run inside a desktop "
                + "session or dbus-run-session, or use options.backend: file"
        }
        let bad = try YAMLLoader.loadSingle("timeout: soon\n", file: "atmos.yaml")
        #expect(throws: CloakError.self) {
            _ = try KeychainStoreOptions.parse(name: "desk", options: bad, environment: testEnvironment())
        }
    }

    /// A listening abstract socket that never accepts: connections queue in its backlog, so the test can count them.
    func silentAbstractSocket(_ name: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i + 1] = b } }
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + 1 + bytes.count
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
        }
        precondition(rc == 0 && listen(fd, 8) == 0, "cannot listen on the test socket")
        return fd
    }

    @Test func aSilentBusTimesOutOnceAndLaterCallsFailAtOnce() throws {
        let name = "cloak-test-silent-\(getpid())"
        let listener = silentAbstractSocket(name)
        defer { close(listener) }
        var o = KeychainStoreOptions(name: "desk", fileDir: "/x")
        o.timeout = 0.2
        let store = KeychainStore(
            options: o, environment: testEnvironment(["DBUS_SESSION_BUS_ADDRESS": "unix:abstract=\(name)"]))
        var messages: [String] = []
        for _ in 0..<3 {
            do {
                _ = try store.get(Self.c)
            } catch {
                messages.append(error.message)
            }
        }
        #expect(messages.count == 3 && Set(messages).count == 1)
        #expect(messages.first?.hasPrefix("keychain: D-Bus: the session bus did not answer authentication within 0.2 s") == true)
        var connections = 0
        while case let c = accept(listener, nil, nil), c >= 0 {
            connections += 1
            close(c)
        }
        #expect(connections == 1)
    }
}
