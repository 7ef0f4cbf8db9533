import Core
import Glibc
@testable import Sops

/// Fixture access relative to this file (no Foundation `Bundle`).
enum Fixture {
    static let dir: String = {
        let here = #filePath
        let parent = here.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return parent + "/Fixtures/sops-samples"
    }()

    static func path(_ name: String) -> String { dir + "/" + name }

    static func bytes(_ name: String) throws -> [UInt8] { try FileSystem.readBytes(path(name)) }

    static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }

    static func identities(_ names: [String] = ["key.txt"]) throws -> [AgeIdentity] {
        var out: [AgeIdentity] = []
        for n in names {
            var b = try bytes(n)
            out += try AgeIdentityFile.parse(SecretBytes(consuming: &b), source: n)
        }
        return out
    }

    static func services(_ names: [String] = ["key.txt"]) throws -> [any SopsKeyService] {
        [AgeKeyService(identities: try identities(names))]
    }

    static func recipient(_ name: String = "key.txt") throws -> String {
        try identities([name])[0].recipient.string
    }

    static func decrypt(_ name: String, format: SopsFormat? = nil, keys: [String] = ["key.txt"]) throws -> SopsFile {
        try SopsFile.decrypt(try bytes(name), file: name, format: format ?? SopsFormat(path: name),
                             services: try services(keys))
    }

    /// `lastmodified` of a decrypted file, as epoch seconds.
    static func lastModified(_ f: SopsFile) -> Int64 { SopsClock.epoch(f.metadata.lastModified) ?? 0 }
}

/// A fresh temporary directory.
func makeTempDir() -> String {
    var template = Array("/tmp/cloak-sops-test-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return p.map { String(cString: $0) } ?? "/tmp"
}

func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let b = Array(text.utf8)
    _ = b.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}
