public import Core
public import Sops

/// The sops `hc_vault` key type over Vault's transit engine: the base64 data key is wrapped with
/// `POST <vault_address>/v1/<engine_path>/encrypt/<key_name>` and unwrapped with `…/decrypt/<key_name>`. The token
/// comes from `VAULT_TOKEN` or `~/.vault-token`, like sops.
public final class VaultTransitKeyService: SopsKeyService, Sendable {
    /// `hc_vault`.
    public let keyType = "hc_vault"
    private let context: RESTContext

    /// Creates the service.
    public init(context: RESTContext = RESTContext()) { self.context = context }

    public func decrypt(entry: SopsKeyEntry) throws(CloakError) -> SecretBytes {
        let (rest, url) = try endpoint(entry, "decrypt")
        let what = "vault transit decrypt \(entry.fields["key_name"] ?? "")"
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("ciphertext", entry.encryptedKey)
        w.endObject()
        let response = try send(rest, url, w.finish(), what)
        let doc = try RESTClient.parse(response, what)
        let key = doc.with { buf, root in
            root.member("data", in: buf)?.member("plaintext", in: buf)?.stringRange.flatMap {
                AWSBase64.decodeSecret(UnsafeRawBufferPointer(rebasing: buf[$0]))
            }
        }
        doc.wipe()
        guard let key else { throw CloakError(.decrypt, "\(what): the response has no data.plaintext") }
        return key
    }

    public func encrypt(dataKey: SecretBytes, for entry: SopsKeyEntry) throws(CloakError) -> SopsKeyEntry {
        let (rest, url) = try endpoint(entry, "encrypt")
        let what = "vault transit encrypt \(entry.fields["key_name"] ?? "")"
        let encoded = SecureBuffer(capacity: dataKey.count * 2 + 8)
        dataKey.withUnsafeBytes { AWSBase64.encode($0, into: encoded) }
        let w = JSONBodyWriter()
        w.beginObject()
        w.key("plaintext")
        w.string(encoded.secret())
        encoded.reset()
        w.endObject()
        let response = try send(rest, url, w.finish(), what)
        let doc = try RESTClient.parse(response, what)
        let ciphertext = doc.plain(["data", "ciphertext"])
        doc.wipe()
        guard let ciphertext, !ciphertext.isEmpty else {
            throw CloakError(.backend, "\(what): the response has no data.ciphertext")
        }
        var out = entry
        out.encryptedKey = ciphertext
        out.fields["created_at"] = AmzDate.rfc3339(context.now())
        return out
    }

    private func endpoint(_ entry: SopsKeyEntry, _ op: String) throws(CloakError) -> (RESTClient, String) {
        guard let address = entry.fields["vault_address"], !address.isEmpty,
            let engine = entry.fields["engine_path"], !engine.isEmpty,
            let key = entry.fields["key_name"], !key.isEmpty
        else { throw CloakError(.config, "an hc_vault key entry needs vault_address, engine_path and key_name") }
        let env = context.environment
        let skip = env.nonEmpty("VAULT_SKIP_VERIFY").map { $0 == "1" || $0.lowercased() == "true" } ?? false
        let http = context.client(caBundle: env.nonEmpty("VAULT_CACERT"), skipVerify: skip)
        let rest = RESTClient(http: http, timeouts: RESTContext.timeouts(nil))
        return (rest, VaultPaths.url(address, VaultPaths.trim(engine) + "/" + op + "/" + key))
    }

    private func send(
        _ rest: RESTClient, _ url: String, _ body: SecretBytes, _ what: String
    ) throws(CloakError) -> HTTPResponse {
        let token = try VaultAuth.staticToken(option: nil, environment: context.environment)
        var headers: [(name: String, value: String)] = [(name: "X-Vault-Token", value: token.unsafeString())]
        if let ns = context.environment.nonEmpty("VAULT_NAMESPACE") {
            headers.append((name: "X-Vault-Namespace", value: ns))
        }
        let response = try rest.send("POST", url, headers: headers, body: body, what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        return response
    }
}

extension VaultTransitKeyService {
    /// The entry for a key given as sops's `--hc-vault-transit` URI `<address>/v1/<engine>/keys/<name>`.
    public static func entry(uri: String) -> SopsKeyEntry? {
        try? SopsMasterKeys.vaultTransit(uri: uri)
    }
}
