public import Core

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

    private func run(_ args: [String], stdin: [UInt8]? = nil) throws(CloakError) -> (status: Int32, stdout: [UInt8]) {
        do {
            return try ShellCommand.capture([tool] + args, stdin: stdin, environment: environment)
        } catch {
            throw CloakError(
                .backend, "keychain: cannot run \(tool) (install libsecret-tools, or use options.backend: file)")
        }
    }

    public func read(service: String, account: String) throws(CloakError) -> SecretBytes? {
        var r = try run(["lookup", "service", service, "account", account])
        if r.status != 0 {
            for i in r.stdout.indices { r.stdout[i] = 0 }
            if r.status == 1 { return nil }
            throw CloakError(.backend, "keychain: secret-tool lookup failed (exit \(r.status))")
        }
        return SecretBytes(consuming: &r.stdout)
    }

    public func write(service: String, account: String, value: SecretBytes) throws(CloakError) {
        var input = value.withUnsafeBytes { Array($0) }
        defer { for i in input.indices { input[i] = 0 } }
        let r = try run(["store", "--label=\(service)", "service", service, "account", account], stdin: input)
        guard r.status == 0 else {
            throw CloakError(
                .backend, "keychain: secret-tool store failed (exit \(r.status)); is the Secret Service running and unlocked?")
        }
    }

    public func remove(service: String, account: String) throws(CloakError) -> Bool {
        guard try contains(service: service, account: account) else { return false }
        let r = try run(["clear", "service", service, "account", account])
        guard r.status == 0 else { throw CloakError(.backend, "keychain: secret-tool clear failed (exit \(r.status))") }
        return true
    }

    public func contains(service: String, account: String) throws(CloakError) -> Bool {
        try read(service: service, account: account) != nil
    }
}
