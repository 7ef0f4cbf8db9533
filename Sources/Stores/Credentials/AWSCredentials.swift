public import Core

/// An AWS key pair with optional session token. The secret key and token live in guarded memory.
public struct AWSCredentials: Sendable {
    /// The access key id (not secret; appears in the `Authorization` header).
    public var accessKeyId: String
    /// The secret access key.
    public var secretAccessKey: SecretBytes
    /// The session token of temporary credentials.
    public var sessionToken: SecretBytes?
    /// When temporary credentials expire (seconds since the epoch).
    public var expiration: Int?
    /// Where they came from, for messages (`environment`, `profile dev`, `assumed role arn:…`).
    public var source: String

    /// Creates credentials.
    public init(
        accessKeyId: String, secretAccessKey: SecretBytes, sessionToken: SecretBytes? = nil, expiration: Int? = nil,
        source: String
    ) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// Whether they expire within `margin` seconds of `now`.
    public func expires(within margin: Int, now: Int) -> Bool {
        guard let expiration else { return false }
        return expiration - margin <= now
    }
}

/// Something that yields credentials (the default chain, an assumed role, a fixed pair in tests).
public protocol AWSCredentialProvider: Sendable {
    /// Current credentials; providers cache and refresh as needed.
    func credentials() throws(CloakError) -> AWSCredentials
}

/// A fixed pair.
public struct StaticCredentialProvider: AWSCredentialProvider {
    private let value: AWSCredentials
    /// Creates the provider.
    public init(_ value: AWSCredentials) { self.value = value }
    public func credentials() throws(CloakError) -> AWSCredentials { value }
}

extension SecretBytes {
    /// A secret made from text (configuration values read from files or the environment).
    static func text(_ s: String) -> SecretBytes {
        var bytes = Array(s.utf8)
        return SecretBytes(consuming: &bytes)
    }
}
