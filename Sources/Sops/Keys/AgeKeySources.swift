public import Core

/// Where age identities for decryption come from. The caller fills in what its configuration provides; the
/// resolver collects identities from every available source, in precedence order (inline key, store-held key,
/// key file, then sops's own `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD` and the default keys.txt).
public struct AgeKeySources: Sendable {
    /// Inline key material (one or more `AGE-SECRET-KEY-1…`, whitespace/newline separated).
    public var inline: SecretBytes?
    /// A key held in a secret store, fetched lazily.
    public var storeKey: (@Sendable () throws(CloakError) -> SecretBytes?)?
    /// An identity file (already `~`/`$VAR`-expanded by the caller).
    public var keyFile: String?
    /// Whether to also use `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD` and the default keys.txt.
    public var useSopsDefaults: Bool
    /// Environment lookup (defaults to the process environment; tests inject their own).
    public var environment: (@Sendable (String) -> String?)?

    /// Creates sources.
    public init(
        inline: SecretBytes? = nil, storeKey: (@Sendable () throws(CloakError) -> SecretBytes?)? = nil,
        keyFile: String? = nil, useSopsDefaults: Bool = true,
        environment: (@Sendable (String) -> String?)? = nil
    ) {
        self.inline = inline
        self.storeKey = storeKey
        self.keyFile = keyFile
        self.useSopsDefaults = useSopsDefaults
        self.environment = environment
    }

    /// Every identity from every available source, in precedence order. Explicitly named files that are missing are
    /// errors; the default keys.txt is optional.
    public func identities() throws(CloakError) -> [AgeIdentity] {
        let environment = self.environment ?? { Environment.process[$0] }
        var out: [AgeIdentity] = []
        if let inline { out += try Self.parseKeys(inline, source: "inline age key") }
        if let storeKey, let key = try storeKey() {
            out += try Self.parseKeys(key, source: "stored age key")
        }
        if let keyFile { out += try Self.readFile(keyFile, required: true) }
        guard useSopsDefaults else { return out }
        if let env = environment("SOPS_AGE_KEY"), !env.isEmpty {
            out += try Self.parseKeys(SecretBytes.text(env), source: "SOPS_AGE_KEY")
        }
        if let file = environment("SOPS_AGE_KEY_FILE"), !file.isEmpty {
            out += try Self.readFile(file, required: true)
        }
        if let cmd = environment("SOPS_AGE_KEY_CMD"), !cmd.isEmpty {
            let r = try ShellCommand.execute(["/bin/sh", "-c", cmd])
            guard r.status == 0 else {
                throw CloakError(.decrypt, "SOPS_AGE_KEY_CMD failed with exit status \(r.status)")
            }
            out += try Self.parseKeys(r.stdout, source: "SOPS_AGE_KEY_CMD output")
        }
        let base: String?
        if let x = environment("XDG_CONFIG_HOME"), !x.isEmpty {
            base = x
        } else if let h = environment("HOME"), !h.isEmpty {
            base = h + "/.config"
        } else {
            base = nil
        }
        if let base { out += try Self.readFile(base + "/sops/age/keys.txt", required: false) }
        return out
    }

    private static func readFile(_ path: String, required: Bool) throws(CloakError) -> [AgeIdentity] {
        guard FileSystem.exists(path) else {
            if required { throw CloakError(.notFound, "age key file not found: \(path)") }
            return []
        }
        var bytes = try FileSystem.readBytes(path)
        let secret = SecretBytes(consuming: &bytes)
        if AgeIdentityFile.isEncrypted(secret) {
            throw CloakError(.config, "\(path): passphrase-protected age identity files are not supported here")
        }
        return try AgeIdentityFile.parse(secret, source: path)
    }

    /// Keys separated by whitespace or newlines; lines starting with `#` are comments.
    static func parseKeys(_ text: SecretBytes, source: String) throws(CloakError) -> [AgeIdentity] {
        var out: [AgeIdentity] = []
        try text.withUnsafeBytes { (b) throws(CloakError) in
            var i = 0
            var atLineStart = true
            while i < b.count {
                let c = b[i]
                if c == 10 || c == 13 || c == 32 || c == 9 {
                    if c == 10 { atLineStart = true }
                    i += 1
                    continue
                }
                if atLineStart && c == UInt8(ascii: "#") {
                    while i < b.count && b[i] != 10 { i += 1 }
                    continue
                }
                atLineStart = false
                let start = i
                while i < b.count && !(b[i] == 10 || b[i] == 13 || b[i] == 32 || b[i] == 9) { i += 1 }
                let token = UnsafeRawBufferPointer(rebasing: b[start..<i])
                do throws(CloakError) {
                    out.append(try AgeIdentity(parsing: SecretBytes(copying: token)))
                } catch {
                    throw CloakError(error.code, "\(source): \(error.message)")
                }
            }
        }
        return out
    }
}
