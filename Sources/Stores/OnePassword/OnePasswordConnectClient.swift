public import Core

/// The 1Password Connect server API (`/v1/vaults…`) with a Bearer token: vault and item lookup by name/title,
/// item creation, field updates and removal through JSON Patch, item deletion.
public struct OnePasswordConnectClient: Sendable {
    let host: String
    let token: SecretBytes
    let rest: RESTClient

    /// One field of an item (value excluded).
    struct Field: Sendable {
        var id: String
        var label: String
        var sectionId: String?
        var hasValue: Bool
    }

    /// Creates the client.
    public init(host: String, token: SecretBytes, rest: RESTClient) {
        var h = host
        while h.hasSuffix("/") { h.removeLast() }
        self.host = h
        self.token = token
        self.rest = rest
    }

    func send(
        _ method: String, _ path: String, body: SecretBytes? = nil, contentType: String? = nil, what: String
    )
        throws(CloakError) -> HTTPResponse
    {
        var headers = [token.bearerHeader()]
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        return try rest.send(method, host + path, headers: headers, body: body, what: what)
    }

    /// `?filter=<attr> eq "<value>"`.
    static func filter(_ attribute: String, _ value: String) -> String {
        let escaped = value.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"")
        return "?filter=" + URIEncoding.encode("\(attribute) eq \"\(escaped)\"")
    }

    /// The id of a vault given by name (or by id).
    func vaultId(_ vault: String) throws(CloakError) -> String {
        let what = "1password list vaults"
        let response = try send("GET", "/v1/vaults" + Self.filter("name", vault), what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        defer { doc.wipe() }
        let id = doc.with { buf, root in
            root.elements.first?.member("id", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
        }
        if let id { return id }
        // Not a vault name: try it as an id.
        let check = try send("GET", "/v1/vaults/" + URIEncoding.encode(vault), what: "1password get vault")
        check.body.reset()
        guard check.isSuccess else {
            throw CloakError(.notFound, "1password: no vault \"\(vault)\" is visible to the Connect token")
        }
        return vault
    }

    /// The id of the item titled `title` in vault `vaultId`, or nil.
    func itemId(vaultId: String, title: String) throws(CloakError) -> String? {
        let what = "1password find item \"\(title)\""
        let response = try send(
            "GET", "/v1/vaults/\(URIEncoding.encode(vaultId))/items" + Self.filter("title", title), what: what)
        if response.status == 404 {
            response.body.reset()
            return nil
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        let doc = try RESTClient.parse(response, what)
        let found = doc.with { buf, root in
            root.elements.first?.member("id", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
        }
        doc.wipe()
        if let found { return found }
        // `op://vault/<item id>/field` names the item by its 26-character id.
        guard Self.looksLikeId(title) else { return nil }
        let check = try send(
            "GET", "/v1/vaults/\(URIEncoding.encode(vaultId))/items/\(URIEncoding.encode(title))", what: what)
        check.body.reset()
        return check.isSuccess ? title : nil
    }

    /// Whether a name has the shape of a 1Password id (26 lower-case letters and digits).
    static func looksLikeId(_ s: String) -> Bool {
        s.utf8.count == 26 && s.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }

    /// The full item (fields with values).
    func item(vaultId: String, itemId: String, what: String) throws(CloakError) -> JSONDocument? {
        let response = try send(
            "GET", "/v1/vaults/\(URIEncoding.encode(vaultId))/items/\(URIEncoding.encode(itemId))", what: what)
        if response.status == 404 {
            response.body.reset()
            return nil
        }
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        return try RESTClient.parse(response, what)
    }

    /// The fields of an item document, and the section ids by label.
    static func fields(_ doc: JSONDocument) -> (fields: [Field], sections: [String: String]) {
        doc.with { buf, root in
            var sections: [String: String] = [:]
            for s in root.member("sections", in: buf)?.elements ?? [] {
                if let id = s.member("id", in: buf)?.stringRange.flatMap({ JSONScanner.plainString(buf, $0) }) {
                    let label =
                        s.member("label", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) } ?? id
                    sections[label] = id
                }
            }
            var out: [Field] = []
            for f in root.member("fields", in: buf)?.elements ?? [] {
                guard let id = f.member("id", in: buf)?.stringRange.flatMap({ JSONScanner.plainString(buf, $0) }) else {
                    continue
                }
                let label = f.member("label", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) } ?? id
                let section = f.member("section", in: buf)?.member("id", in: buf)?.stringRange.flatMap {
                    JSONScanner.plainString(buf, $0)
                }
                let hasValue = !(f.member("value", in: buf)?.stringRange?.isEmpty ?? true)
                out.append(Field(id: id, label: label, sectionId: section, hasValue: hasValue))
            }
            return (out, sections)
        }
    }

    /// The index of the field a reference names (by id or label, within its section when given).
    static func match(_ ref: OnePasswordReference, _ fields: [Field], _ sections: [String: String]) -> Int? {
        let sectionId = ref.section.map { sections[$0] ?? $0 }
        return fields.firstIndex { f in
            (f.id == ref.field || f.label == ref.field) && (sectionId == nil || f.sectionId == sectionId)
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced.
    func replacingAll(_ target: String, _ replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
