public import Core

/// Identity files in `age-keygen` format: one `AGE-SECRET-KEY-1…` per line, `#` comments and blank lines ignored.
public enum AgeIdentityFile {
    /// Parses every identity in `contents`; errors cite `source:line` and never the key text. A file with no
    /// identities is an error ("no identities found in <source>").
    public static func parse(_ contents: SecretBytes, source: String) throws(CloakError) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        try contents.withUnsafeBytes { bytes throws(CloakError) in
            var lineNumber = 0
            var start = 0
            while start < bytes.count {
                lineNumber += 1
                var stop = start
                while stop < bytes.count && bytes[stop] != 0x0A { stop += 1 }
                var end = stop
                // bufio.Scanner in the Go reference drops a CR before LF, so CRLF files work there too.
                if end > start && bytes[end - 1] == 0x0D { end -= 1 }
                let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                start = stop + 1
                if line.isEmpty || line[0] == 0x23 { continue }
                do throws(CloakError) {
                    identities.append(try AgeIdentity(parsing: SecretBytes(copying: line)))
                } catch {
                    throw CloakError(error.code, error.message, at: SourceLocation(file: source, line: lineNumber))
                }
            }
        }
        guard !identities.isEmpty else { throw CloakError.ageKey("no identities found in \(source)") }
        return identities
    }

    /// Renders `identity` as `age-keygen` does: a `created` comment, the public key comment and the key line.
    public static func render(_ identity: AgeIdentity, created: String) -> SecretBytes {
        let head = Array("# created: \(created)\n# public key: \(identity.recipient.string)\n".utf8)
        let key = identity.encoded()
        return SecretBytes(count: head.count + key.count + 1) { out in
            out.copyBytes(from: head)
            key.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: out[head.count..<(head.count + key.count)]).copyMemory(from: $0)
            }
            out[out.count - 1] = 0x0A
        }
    }

    /// Whether `contents` is itself an age file (a passphrase-protected identity file, as SOPS supports); decrypt
    /// it with `Age.decrypt(_:passphrase:)` and parse the result.
    public static func isEncrypted(_ contents: SecretBytes) -> Bool {
        contents.withUnsafeBytes { Age.looksLikeAgeFile($0) }
    }
}
