public import Core

/// Raw reads for vals-style `ref+azurekeyvault` references: a secret's value as stored, at its latest or a given
/// version.
extension AzureKeyVaultStore {
    /// The value of secret `name` (`GET /secrets/<name>/<version>`); a missing secret or version is a
    /// `.notInitialized` error naming it.
    public func rawSecret(_ name: String, version: String?) throws(CloakError) -> SecretBytes {
        var base = options.vaultURL
        while base.hasSuffix("/") { base.removeLast() }
        let url =
            base + "/secrets/" + URIEncoding.encode(name) + "/" + URIEncoding.encode(version ?? "") + "?api-version="
            + URIEncoding.encode(options.apiVersion)
        let what = "azure keyvault get \"\(name)\"" + (version.map { " version \($0)" } ?? "")
        let response = try call("GET", url, what: what)
        if response.status == 404 {
            response.body.reset()
            throw CloakError(.notInitialized, "azure secret \"\(name)\"\(version.map { " version \($0)" } ?? "") not found in \(base)")
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        guard let raw = doc.secret(["value"]) else { throw CloakError(.backend, "\(what): the response has no value") }
        return raw
    }
}
