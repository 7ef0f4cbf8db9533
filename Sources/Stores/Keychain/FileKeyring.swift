public import Core
import Glibc
import Sops
import Synchronization

/// Items as files under a directory, encrypted at rest: one `salt` file per directory, a key derived from the
/// password in `password_env` with Argon2id (`crypto_pwhash`), and each item sealed with `crypto_secretbox`.
/// Item files are named by the SHA-256 of (account, service), written atomically with mode 0600 in a 0700
/// directory; the sealed plaintext starts with the item's name so files cannot be swapped. Existence is a file
/// check and needs no password, so `list` stays credential-free.
public final class FileKeyring: KeyringBackend {
    /// The directory.
    public let directory: String
    let passwordEnv: String
    let environment: Environment
    private let box = Mutex<PasswordBox?>(nil)
    static let magic: [UInt8] = Array("CLOAKKR1".utf8)

    /// Creates the keyring.
    public init(directory: String, passwordEnv: String, environment: Environment) {
        self.directory = directory
        self.passwordEnv = passwordEnv
        self.environment = environment
    }

    /// The file of an item.
    public func path(service: String, account: String) -> String {
        Path.join(directory, SHA256Hash.hex(SHA256Hash.digest(Array((account + "\u{0}" + service).utf8))) + ".item")
    }

    private func passwordBox(create: Bool) throws(CloakError) -> PasswordBox {
        if let b = box.withLock({ $0 }) { return b }
        guard let pw = environment[passwordEnv], !pw.isEmpty else {
            throw CloakError(
                .config, "the keychain file backend needs a password: set \(passwordEnv) (options.password_env)")
        }
        let saltPath = Path.join(directory, "salt")
        var salt = try AtomicFile.readIfExists(saltPath)
        if salt == nil {
            guard create else { throw CloakError(.notInitialized, "keychain directory \(directory) holds no items") }
            try FileSystem.createDirectories(directory, mode: 0o700)
            _ = chmod(directory, 0o700)
            // Publish the salt with link(2), which never replaces: of two processes creating it at once, one wins
            // and the other reads the winner's salt, so no item is ever sealed under a salt that is then replaced.
            let staged = Path.join(directory, ".salt-\(getpid())-\(PasswordBox.randomSalt().map { String($0) }.joined())")
            try AtomicFile.write(path: staged, bytes: PasswordBox.randomSalt(), mode: 0o600)
            let linked = link(staged, saltPath)
            let err = errno
            unlink(staged)
            if linked != 0 && err != EEXIST { throw FileSystem.ioError("cannot create", saltPath, err) }
            salt = try AtomicFile.readIfExists(saltPath)
        }
        guard let salt, salt.count == PasswordBox.saltBytes else {
            throw CloakError(.io, "\(saltPath): not a keychain salt file")
        }
        var bytes = Array(pw.utf8)
        let made = try PasswordBox(password: SecretBytes(consuming: &bytes), salt: salt)
        box.withLock { $0 = made }
        return made
    }

    public func read(service: String, account: String) throws(CloakError) -> SecretBytes? {
        let file = path(service: service, account: account)
        guard let sealed = try AtomicFile.readIfExists(file) else { return nil }
        guard sealed.count > Self.magic.count, Array(sealed.prefix(Self.magic.count)) == Self.magic else {
            throw CloakError(.decrypt, "\(file): not a cloak keychain item")
        }
        let b = try passwordBox(create: false)
        guard let plain = b.open(Array(sealed.dropFirst(Self.magic.count))) else {
            throw CloakError(.decrypt, "\(file): cannot decrypt the item (wrong \(passwordEnv) or a damaged file)")
        }
        let name = Array(Self.itemName(service: service, account: account).utf8)
        return try plain.withUnsafeBytes { (buf) throws(CloakError) -> SecretBytes in
            guard buf.count >= 2 else { throw CloakError(.decrypt, "\(file): damaged item") }
            let n = Int(buf[0]) << 8 | Int(buf[1])
            guard buf.count >= 2 + n, Array(buf[2..<(2 + n)]) == name else {
                throw CloakError(.decrypt, "\(file): the item belongs to another name")
            }
            return SecretBytes(copying: UnsafeRawBufferPointer(rebasing: buf[(2 + n)...]))
        }
    }

    public func write(service: String, account: String, value: SecretBytes) throws(CloakError) {
        let b = try passwordBox(create: true)
        let name = Array(Self.itemName(service: service, account: account).utf8)
        guard name.count < 65536 else { throw CloakError(.config, "keychain item name is too long") }
        let plain = SecureBuffer(capacity: name.count + value.count + 8)
        plain.append([UInt8(name.count >> 8), UInt8(name.count & 0xFF)])
        plain.append(name)
        plain.append(value)
        let sealed = plain.withUnsafeBytes { b.seal($0) }
        plain.reset()
        try AtomicFile.write(path: path(service: service, account: account), bytes: Self.magic + sealed, mode: 0o600)
    }

    public func remove(service: String, account: String) throws(CloakError) -> Bool {
        let file = path(service: service, account: account)
        if unlink(file) == 0 { return true }
        if errno == ENOENT { return false }
        throw FileSystem.ioError("cannot remove", file, errno)
    }

    public func contains(service: String, account: String) -> Bool {
        FileSystem.isFile(path(service: service, account: account))
    }

    static func itemName(service: String, account: String) -> String { account + "/" + service }
}
