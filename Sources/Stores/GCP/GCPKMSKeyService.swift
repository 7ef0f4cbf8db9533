public import Core
public import Sops
import Synchronization

/// The sops `gcp_kms` key type over Cloud KMS's REST API: the data key is wrapped with
/// `POST <endpoint>/v1/<resource_id>:encrypt` and unwrapped with `…:decrypt`; `enc` is the standard-base64
/// ciphertext, as sops writes it. Credentials are Google's ADC (`GOOGLE_CREDENTIALS`, sops's own variable, a path or
/// JSON, first); the endpoint is `https://cloudkms.googleapis.com`, or gcloud's override variable
/// `CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS`.
public final class GCPKMSKeyService: SopsKeyService, Sendable {
    /// `gcp_kms`.
    public let keyType = "gcp_kms"
    let context: RESTContext
    private let connection = Mutex<Connection?>(nil)

    /// The REST client and the credentials that sign its requests.
    private struct Connection: Sendable {
        let rest: RESTClient
        let credentials: GCPCredentials
    }

    /// Creates the service; nothing is set up until a gcp_kms key is used (every SOPS read creates one).
    public init(context: RESTContext = RESTContext()) {
        self.context = context
    }

    /// The connection, built on first use and shared by later requests (credentials cache their token).
    private func connected() -> Connection {
        connection.withLock { (built: inout Connection?) -> Connection in
            if let built { return built }
            let rest = RESTClient(http: context.client(), timeouts: RESTContext.timeouts(nil))
            let credentials = GCPCredentials(
                credentials: context.environment.nonEmpty("GOOGLE_CREDENTIALS"), environment: context.environment,
                rest: rest, now: context.now)
            let made = Connection(rest: rest, credentials: credentials)
            built = made
            return made
        }
    }

    private func url(_ entry: SopsKeyEntry, _ verb: String) throws(CloakError) -> String {
        guard let id = entry.fields["resource_id"], id.hasPrefix("projects/"), id.contains("/cryptoKeys/") else {
            throw CloakError(
                .config, "a gcp_kms key entry needs resource_id projects/…/locations/…/keyRings/…/cryptoKeys/…")
        }
        var base =
            context.environment.nonEmpty("CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS")
            ?? "https://cloudkms.googleapis.com"
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base + "/v1/" + URIEncoding.encode(id, keepSlash: true) + ":" + verb
    }

    private func send(_ url: String, _ body: SecretBytes, _ what: String) throws(CloakError) -> JSONDocument {
        let connection = connected()
        let response = try connection.rest.send(
            "POST", url, headers: [try connection.credentials.token().bearerHeader()], body: body, what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        return try RESTClient.parse(response, what)
    }

    public func decrypt(entry: SopsKeyEntry) throws(CloakError) -> SecretBytes {
        let what = "gcp kms decrypt \(entry.fields["resource_id"] ?? "")"
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("ciphertext", entry.encryptedKey)
        w.endObject()
        let doc = try send(try url(entry, "decrypt"), w.finish(), what)
        defer { doc.wipe() }
        let key = doc.with { buf, root in
            root.member("plaintext", in: buf)?.stringRange.flatMap {
                AWSBase64.decodeSecret(UnsafeRawBufferPointer(rebasing: buf[$0]))
            }
        }
        guard let key else { throw CloakError(.decrypt, "\(what): the response has no plaintext") }
        return key
    }

    public func encrypt(dataKey: SecretBytes, for entry: SopsKeyEntry) throws(CloakError) -> SopsKeyEntry {
        let what = "gcp kms encrypt \(entry.fields["resource_id"] ?? "")"
        let encoded = SecureBuffer(capacity: dataKey.count * 2 + 8)
        dataKey.withUnsafeBytes { AWSBase64.encode($0, into: encoded) }
        let w = JSONBodyWriter()
        w.beginObject()
        w.key("plaintext")
        w.string(encoded.secret())
        encoded.reset()
        w.endObject()
        let doc = try send(try url(entry, "encrypt"), w.finish(), what)
        defer { doc.wipe() }
        guard let ct = doc.plain(["ciphertext"]), !ct.isEmpty else {
            throw CloakError(.backend, "\(what): the response has no ciphertext")
        }
        var out = entry
        out.encryptedKey = ct
        out.fields["created_at"] = AmzDate.rfc3339(context.now())
        return out
    }
}
