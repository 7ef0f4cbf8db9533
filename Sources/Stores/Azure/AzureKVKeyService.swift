public import Core
public import Sops
import Synchronization

/// The sops `azure_kv` key type over Key Vault's key operations: the data key is encrypted with
/// `POST <vault_url>/keys/<name>/<version>/encrypt` (`RSA-OAEP-256`) and decrypted with `…/decrypt`; `enc` is the
/// unpadded base64url result, as sops writes it. Authentication is Key Vault's challenge flow with the Azure
/// credential chain of the stores; `SSL_CERT_FILE` names extra CAs to trust.
public final class AzureKVKeyService: SopsKeyService, Sendable {
    /// `azure_kv`.
    public let keyType = "azure_kv"
    let context: RESTContext
    private let vaults = Mutex<[String: AzureKeyVaultStore]>([:])

    /// Creates the service.
    public init(context: RESTContext = RESTContext()) { self.context = context }

    private func vault(_ entry: SopsKeyEntry) throws(CloakError) -> (AzureKeyVaultStore, String) {
        guard let url = entry.fields["vault_url"], !url.isEmpty, let name = entry.fields["name"], !name.isEmpty else {
            throw CloakError(.config, "an azure_kv key entry needs vault_url and name")
        }
        let store = vaults.withLock { map in
            if let s = map[url] { return s }
            var o = AzureStoreOptions(name: "sops azure_kv", vaultURL: url)
            o.caBundle = context.environment.nonEmpty("SSL_CERT_FILE")
            let s = AzureKeyVaultStore(options: o, context: context)
            map[url] = s
            return s
        }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        let version = entry.fields["version"] ?? ""
        return (store, base + "/keys/" + URIEncoding.encode(name) + "/" + URIEncoding.encode(version))
    }

    private func operate(_ entry: SopsKeyEntry, _ op: String, _ value: String) throws(CloakError) -> SecretBytes {
        let (store, keyURL) = try vault(entry)
        let what = "azure keyvault \(op) \(entry.fields["name"] ?? "")"
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("alg", "RSA-OAEP-256")
        w.field("value", value)
        w.endObject()
        let response = try store.call(
            "POST", keyURL + "/" + op + "?api-version=" + URIEncoding.encode(store.options.apiVersion),
            body: w.finish(), what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        guard let v = doc.secret(["value"]) else { throw CloakError(.backend, "\(what): the response has no value") }
        return v
    }

    public func decrypt(entry: SopsKeyEntry) throws(CloakError) -> SecretBytes {
        let encoded = try operate(entry, "decrypt", entry.encryptedKey)
        guard let key = encoded.withUnsafeBytes({ Base64URL.decodeSecret($0) }) else {
            throw CloakError(
                .decrypt, "azure keyvault decrypt \(entry.fields["name"] ?? ""): the result is not base64url")
        }
        return key
    }

    public func encrypt(dataKey: SecretBytes, for entry: SopsKeyEntry) throws(CloakError) -> SopsKeyEntry {
        let value = dataKey.withUnsafeBytes { Base64URL.encode(Array($0)) }
        let result = try operate(entry, "encrypt", value)
        var out = entry
        out.encryptedKey = result.unsafeString()
        out.fields["created_at"] = AmzDate.rfc3339(context.now())
        return out
    }
}
