public import Core
import Glibc

/// The freedesktop Secret Service (gnome-keyring, KWallet) through libsecret's `secret-tool` CLI rather than a
/// native D-Bus client: items carry the attributes `service` (the composed key) and `account` (the store's
/// `service` option); the value travels over stdin/stdout, never argv. `secret-tool lookup` exits 1 with no
/// output for a missing item. Needs a session bus and an unlocked collection (headless: `dbus-run-session` and
/// `gnome-keyring-daemon --unlock`).
public final class SecretServiceKeyring: KeyringBackend {
    let environment: Environment
    let tool: String

    /// Creates the backend (`secret-tool` from PATH, or `CLOAK_SECRET_TOOL`).
    public init(environment: Environment) {
        self.environment = environment
        self.tool = environment.nonEmpty("CLOAK_SECRET_TOOL") ?? "secret-tool"
    }

    /// Runs `secret-tool args…` with its stderr captured in a private temporary file, so a missing item (exit 1,
    /// silent) can be told from an unreachable or locked keyring (exit 1 with a diagnostic).
    private func run(
        _ args: [String], stdin: [UInt8]? = nil
    ) throws(CloakError) -> (status: Int32, stdout: [UInt8], stderr: String) {
        var template = Array("/tmp/cloak-secret-tool-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileSystem.ioError("cannot create a temporary file in", "/tmp", errno) }
        close(fd)
        let errPath = String(cString: template)
        defer { unlink(errPath) }
        var values: [String: String] = [:]
        for (k, v) in environment.all() { values[k] = v }
        values["CLOAK_SECRET_TOOL_STDERR"] = errPath
        let argv = ["/bin/sh", "-c", "exec \"$0\" \"$@\" 2>\"$CLOAK_SECRET_TOOL_STDERR\"", tool] + args
        let result: (status: Int32, stdout: [UInt8])
        do {
            result = try ShellCommand.capture(argv, stdin: stdin, environment: Environment(values))
        } catch {
            throw CloakError(
                .backend, "keychain: cannot run \(tool) (install libsecret-tools, or use options.backend: file)")
        }
        let errText = (try? FileSystem.readBytes(errPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        if result.status == 127 {
            throw CloakError(
                .backend, "keychain: cannot run \(tool) (install libsecret-tools, or use options.backend: file)")
        }
        return (result.status, result.stdout, errText)
    }

    /// The diagnostic's last non-empty line, shortened, for a one-line error (secret-tool never prints values there).
    static func summary(_ stderr: String) -> String {
        let lines = stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { String($0).trimmingCharacters() }
        guard var last = lines.last(where: { !$0.isEmpty }) else { return "" }
        if last.count > 160 { last = String(last.prefix(160)) + "…" }
        return ": " + String(last.map { $0.isASCII && $0.asciiValue! >= 0x20 ? $0 : "?" })
    }

    public func read(service: String, account: String) throws(CloakError) -> SecretBytes? {
        var r = try run(["lookup", "service", service, "account", account])
        if r.status != 0 {
            for i in r.stdout.indices { r.stdout[i] = 0 }
            if r.status == 1 && r.stderr.trimmingCharacters().isEmpty { return nil }
            throw CloakError(
                .backend,
                "keychain: secret-tool lookup failed (exit \(r.status))\(Self.summary(r.stderr)); is the Secret "
                    + "Service running and unlocked?"
            )
        }
        return SecretBytes(consuming: &r.stdout)
    }

    public func write(service: String, account: String, value: SecretBytes) throws(CloakError) {
        var input = value.withUnsafeBytes { Array($0) }
        defer { for i in input.indices { input[i] = 0 } }
        let r = try run(["store", "--label=\(service)", "service", service, "account", account], stdin: input)
        guard r.status == 0 else {
            throw CloakError(
                .backend,
                "keychain: secret-tool store failed (exit \(r.status))\(Self.summary(r.stderr)); is the Secret "
                    + "Service running and unlocked?"
            )
        }
    }

    public func remove(service: String, account: String) throws(CloakError) -> Bool {
        guard try contains(service: service, account: account) else { return false }
        let r = try run(["clear", "service", service, "account", account])
        guard r.status == 0 else {
            throw CloakError(.backend, "keychain: secret-tool clear failed (exit \(r.status))\(Self.summary(r.stderr))")
        }
        return true
    }

    public func contains(service: String, account: String) throws(CloakError) -> Bool {
        try read(service: service, account: account) != nil
    }
}
