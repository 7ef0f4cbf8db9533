public import Core

/// PGP master keys through the system `gpg`, as sops does: `gpg --batch --decrypt` and
/// `gpg --batch --encrypt --armor -r FP`, with the data key on stdin/stdout pipes only.
public struct PGPKeyService: SopsKeyService {
    /// The gpg executable (searched in PATH), `SOPS_GPG_EXEC` style override.
    public let gpg: String
    /// Clock for `created_at`.
    let now: @Sendable () -> Int64
    /// Extra environment for gpg (for example `GNUPGHOME`).
    public let environment: [String: String]

    /// Uses `gpg` from PATH unless `executable` is given.
    public init(executable: String = "gpg", environment: [String: String] = [:]) {
        gpg = executable
        self.environment = environment
        now = { SopsClock.now() }
    }

    public var keyType: String { "pgp" }

    public func decrypt(entry: SopsKeyEntry) throws(CloakError) -> SecretBytes {
        let r = try ShellCommand.execute(
            [gpg, "--batch", "--quiet", "--decrypt"], stdin: SecretBytes.text(entry.encryptedKey),
            environment: .process.overriding(environment))
        guard r.status == 0, r.stdout.count > 0 else {
            throw CloakError(.decrypt, "gpg could not decrypt the data key for \(entry.identifier) (exit \(r.status))")
        }
        return r.stdout
    }

    public func encrypt(dataKey: SecretBytes, for entry: SopsKeyEntry) throws(CloakError) -> SopsKeyEntry {
        let fp = (entry.fields["fp"] ?? "").trimmingSpaces()
        guard !fp.isEmpty else { throw CloakError(.config, "pgp key entry has no fingerprint") }
        let r = try ShellCommand.execute(
            [gpg, "--batch", "--quiet", "--no-encrypt-to", "--trust-model", "always", "--encrypt", "--armor", "-r", fp],
            stdin: dataKey, environment: .process.overriding(environment))
        guard r.status == 0, r.stdout.count > 0 else {
            throw CloakError(.backend, "gpg could not encrypt the data key for \(fp) (exit \(r.status))")
        }
        var out = entry
        out.fields["fp"] = fp
        out.fields["created_at"] = SopsClock.format(now())
        out.encryptedKey = r.stdout.unsafeString()
        return out
    }
}
