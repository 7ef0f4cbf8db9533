import Core
import Glibc

@testable import Sops

/// Fixture access and small helpers for the age tests (no Foundation: paths come from `#filePath`).
enum AgeFixtures {
    /// Absolute path of `Fixtures/<relative>` next to this source file.
    static func path(_ relative: String, file: String = #filePath) -> String {
        let directory = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return "\(directory)/Fixtures/\(relative)"
    }

    /// Reads a whole file with Glibc.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes a file with Glibc (mode 0600).
    static func write(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count
    }

    /// Names of the files in a fixture directory, sorted, skipping README and dotfiles.
    static func list(_ relative: String) -> [String] {
        guard let dir = opendir(path(relative)) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") || name.hasPrefix("README") { continue }
            names.append(name)
        }
        return names.sorted()
    }

    /// Lower-case hex.
    static func hex(_ bytes: some Collection<UInt8>) -> String { Hex.encode(bytes) }

    /// SHA-256 of a secret, as hex.
    static func sha256Hex(_ secret: SecretBytes) -> String {
        Hex.encode(secret.withUnsafeBytes { SHA256.digest($0) })
    }

    /// Secret bytes from a literal (tests only).
    static func secret(_ text: String) -> SecretBytes {
        var bytes = Array(text.utf8)
        return SecretBytes(consuming: &bytes)
    }

    /// `count` bytes of a repeating, non-trivial pattern.
    static func pattern(_ count: Int) -> SecretBytes {
        SecretBytes(count: count) { out in
            for i in 0..<count { out[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 8) }
        }
    }

    /// zlib `uncompress`, loaded at run time from the system libz (the test target has no zlib module and
    /// Package.swift is not ours to change); some testkit vectors are stored compressed.
    static func inflate(_ data: [UInt8]) -> [UInt8]? {
        typealias Uncompress =
            @convention(c) (
                UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt
            ) -> Int32
        guard let lib = dlopen("libz.so.1", RTLD_NOW), let sym = dlsym(lib, "uncompress") else { return nil }
        let uncompress = unsafeBitCast(sym, to: Uncompress.self)
        var capacity = max(data.count * 8, 1024)
        while capacity <= 64 << 20 {
            var out = [UInt8](repeating: 0, count: capacity)
            var length = UInt(capacity)
            let rc = out.withUnsafeMutableBufferPointer { o in
                data.withUnsafeBufferPointer { uncompress(o.baseAddress, &length, $0.baseAddress, UInt($0.count)) }
            }
            if rc == 0 { return Array(out[0..<Int(length)]) }
            if rc != -5 { return nil }  // Z_BUF_ERROR: grow and retry
            capacity *= 4
        }
        return nil
    }

    /// Runs `argv` (looked up in PATH) with `stdin` as input; returns exit status and stdout.
    static func run(_ argv: [String], stdin input: [UInt8] = []) -> (status: Int32, stdout: [UInt8]) {
        var inPipe: [Int32] = [0, 0]
        var outPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0 else { return (-1, []) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        for fd in inPipe + outPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ)
        close(inPipe[0])
        close(outPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            return (-1, [])
        }
        // Inputs here are small (well under the pipe buffer), so write-then-read cannot deadlock.
        _ = input.withUnsafeBytes { Glibc.write(inPipe[1], $0.baseAddress, $0.count) }
        close(inPipe[1])
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(outPipe[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            output.append(contentsOf: chunk[0..<n])
        }
        close(outPipe[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }

    /// Whether an executable named `name` is on PATH.
    static func onPath(_ name: String) -> Bool {
        guard let raw = getenv("PATH") else { return false }
        return String(cString: raw).split(separator: ":").contains { access("\($0)/\(name)", X_OK) == 0 }
    }
}

/// One C2SP/CCTV age testkit vector.
struct AgeTestVector {
    var expect: String = ""
    var payload: String?
    var identities: [String] = []
    var passphrases: [String] = []
    var armored = false
    var compressed = false
    var body: [UInt8] = []

    /// Parses the `key: value` header, the blank line and the (possibly zlib-compressed) age file.
    init?(_ bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            guard let end = bytes[i...].firstIndex(of: 0x0A) else { return nil }
            let line = String(decoding: bytes[i..<end], as: UTF8.self)
            i = end + 1
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = String(line[..<colon])
            let value = String(line[line.index(colon, offsetBy: 2)...])
            switch key {
            case "expect": expect = value
            case "payload": payload = value
            case "identity": identities.append(value)
            case "passphrase": passphrases.append(value)
            case "armored": armored = value == "yes"
            case "compressed": compressed = value == "zlib"
            default: break
            }
        }
        body = Array(bytes[i...])
        if compressed {
            guard let inflated = AgeFixtures.inflate(body) else { return nil }
            body = inflated
        }
    }
}
