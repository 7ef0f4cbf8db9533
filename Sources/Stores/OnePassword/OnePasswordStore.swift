public import Core

/// `onepassword` in Connect mode: the declaration's key (its `reference`, else the NAME) is rendered by the
/// `render` closure the caller supplies (a Go template with `atmos_stack` and `atmos_component`; Stores cannot
/// render templates itself), then read as `op://vault/item[/section]/field`. Reads return the field's value as
/// text; set writes strings as they are and other values as JSON, creating an "API Credential" item with a
/// concealed field when the item is missing and patching the field otherwise; delete removes the field and then
/// the item once no field holds a value (idempotent). Service-account mode is not supported: it is a clear error
/// asking for Connect.
public final class OnePasswordStore: SecretBackend, Sendable {
    /// Renders a key template for a coordinate (returns the key unchanged when it holds no `{{`).
    public typealias Renderer = @Sendable (String, SecretCoordinate) throws(CloakError) -> String

    /// `store:<name>`.
    public let label: String
    /// The options.
    public let options: OnePasswordStoreOptions
    let client: Result<OnePasswordConnectClient, CloakError>
    let render: Renderer?

    /// Creates the store; configuration problems surface on first use, so `list` works without credentials.
    public init(options: OnePasswordStoreOptions, context: RESTContext = RESTContext(), render: Renderer? = nil) {
        self.options = options
        self.label = "store:\(options.name)"
        self.render = render
        let rest = RESTClient(
            http: context.client(maxAttempts: options.maxAttempts), timeouts: RESTContext.timeouts(options.timeout))
        let connect = options.connectHost != nil && options.connectToken != nil
        let store = options.name
        if options.mode == "service-account" || (options.mode == "auto" && !connect && options.hasServiceAccountToken) {
            client = .failure(
                CloakError(
                    .config,
                    "store \"\(store)\": 1Password service-account mode is not supported by cloak; run a "
                        + "1Password Connect server and set connect_host and connect_token "
                        + "(or OP_CONNECT_HOST and OP_CONNECT_TOKEN)"
                ))
        } else if let host = options.connectHost, let token = options.connectToken {
            client = .success(OnePasswordConnectClient(host: host, token: token, rest: rest))
        } else {
            client = .failure(
                CloakError(
                    .config,
                    "store \"\(store)\": 1Password Connect is not configured: set connect_host and "
                        + "connect_token (or OP_CONNECT_HOST and OP_CONNECT_TOKEN)"
                ))
        }
    }

    /// Remote.
    public var isLocal: Bool { false }

    /// Every scope.
    public func supports(_ scope: SecretScope) -> Bool { true }

    /// The reference of a coordinate.
    public func reference(_ coordinate: SecretCoordinate) throws(CloakError) -> OnePasswordReference {
        var key = coordinate.key
        if key.contains("{{") {
            guard let render else {
                throw CloakError(
                    .config,
                    "store \"\(options.name)\": the reference \"\(key)\" is a template and cannot be rendered here")
            }
            key = try render(key, coordinate)
        }
        return try OnePasswordReference.parse(key, defaultVault: options.vault, store: options.name)
    }

    public func get(_ coordinate: SecretCoordinate) throws(CloakError) -> SecretValue {
        let ref = try reference(coordinate)
        let c = try client.get()
        let vid = try c.vaultId(ref.vault)
        guard let iid = try c.itemId(vaultId: vid, title: ref.item),
            let doc = try c.item(vaultId: vid, itemId: iid, what: "1password get item \"\(ref.item)\"")
        else { throw CloakError(.notInitialized, "\(ref) not found in store \"\(options.name)\"") }
        defer { doc.wipe() }
        let (fields, sections) = OnePasswordConnectClient.fields(doc)
        guard let index = OnePasswordConnectClient.match(ref, fields, sections), fields[index].hasValue else {
            throw CloakError(.notInitialized, "\(ref) not found in store \"\(options.name)\"")
        }
        let value = doc.with { buf, root in
            root.member("fields", in: buf)?.elements[index].member("value", in: buf)?.stringRange.flatMap {
                JSONScanner.secretString(buf, $0)
            }
        }
        guard let value else { throw CloakError(.notInitialized, "\(ref) not found in store \"\(options.name)\"") }
        return .text(value)
    }

    public func set(_ coordinate: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let ref = try reference(coordinate)
        let c = try client.get()
        let vid = try c.vaultId(ref.vault)
        let vpath = "/v1/vaults/\(URIEncoding.encode(vid))/items"
        if let iid = try c.itemId(vaultId: vid, title: ref.item),
            let doc = try c.item(vaultId: vid, itemId: iid, what: "1password get item \"\(ref.item)\"")
        {
            let (fields, sections) = OnePasswordConnectClient.fields(doc)
            doc.wipe()
            let w = JSONBodyWriter()
            w.beginArray()
            w.beginObject()
            if let index = OnePasswordConnectClient.match(ref, fields, sections) {
                w.field("op", "replace")
                w.field("path", "/fields/\(fields[index].id)/value")
                w.key("value")
                w.string(value.bytes)
            } else {
                w.field("op", "add")
                w.field("path", "/fields")
                w.key("value")
                writeField(w, ref, value, sectionId: ref.section.map { sections[$0] ?? $0 })
            }
            w.endObject()
            w.endArray()
            let what = "1password update item \"\(ref.item)\""
            let response = try c.send("PATCH", vpath + "/" + URIEncoding.encode(iid), body: w.finish(), what: what)
            guard response.isSuccess else { throw RESTClient.failure(what, response) }
            response.body.reset()
            return
        }
        let w = JSONBodyWriter()
        w.beginObject()
        w.key("vault")
        w.beginObject()
        w.field("id", vid)
        w.endObject()
        w.field("title", ref.item)
        w.field("category", "API_CREDENTIAL")
        if let section = ref.section {
            w.key("sections")
            w.beginArray()
            w.beginObject()
            w.field("id", section)
            w.field("label", section)
            w.endObject()
            w.endArray()
        }
        w.key("fields")
        w.beginArray()
        writeField(w, ref, value, sectionId: ref.section)
        w.endArray()
        w.endObject()
        let what = "1password create item \"\(ref.item)\""
        let response = try c.send("POST", vpath, body: w.finish(), what: what)
        guard response.isSuccess else { throw RESTClient.failure(what, response) }
        response.body.reset()
    }

    private func writeField(_ w: JSONBodyWriter, _ ref: OnePasswordReference, _ value: SecretValue, sectionId: String?)
    {
        w.beginObject()
        w.field("label", ref.field)
        w.field("type", "CONCEALED")
        if ref.field == "credential" { w.field("id", "credential") }
        if let sectionId {
            w.key("section")
            w.beginObject()
            w.field("id", sectionId)
            w.endObject()
        }
        w.key("value")
        w.string(value.bytes)
        w.endObject()
    }

    public func delete(_ coordinate: SecretCoordinate) throws(CloakError) {
        let ref = try reference(coordinate)
        let c = try client.get()
        let vid = try c.vaultId(ref.vault)
        guard let iid = try c.itemId(vaultId: vid, title: ref.item),
            let doc = try c.item(vaultId: vid, itemId: iid, what: "1password get item \"\(ref.item)\"")
        else { return }
        let (fields, sections) = OnePasswordConnectClient.fields(doc)
        doc.wipe()
        guard let index = OnePasswordConnectClient.match(ref, fields, sections) else { return }
        let path = "/v1/vaults/\(URIEncoding.encode(vid))/items/\(URIEncoding.encode(iid))"
        let othersHoldValues = fields.enumerated().contains { $0.offset != index && $0.element.hasValue }
        if othersHoldValues {
            let w = JSONBodyWriter()
            w.beginArray()
            w.beginObject()
            w.field("op", "remove")
            w.field("path", "/fields/\(fields[index].id)")
            w.endObject()
            w.endArray()
            let what = "1password update item \"\(ref.item)\""
            let response = try c.send("PATCH", path, body: w.finish(), what: what)
            guard response.isSuccess else { throw RESTClient.failure(what, response) }
            response.body.reset()
        } else {
            let what = "1password delete item \"\(ref.item)\""
            let response = try c.send("DELETE", path, what: what)
            guard response.isSuccess || response.status == 404 else { throw RESTClient.failure(what, response) }
            response.body.reset()
        }
    }

    public func exists(_ coordinate: SecretCoordinate) throws(CloakError) -> Bool {
        let ref = try reference(coordinate)
        let c = try client.get()
        let vid = try c.vaultId(ref.vault)
        guard let iid = try c.itemId(vaultId: vid, title: ref.item),
            let doc = try c.item(vaultId: vid, itemId: iid, what: "1password get item \"\(ref.item)\"")
        else { return false }
        defer { doc.wipe() }
        let (fields, sections) = OnePasswordConnectClient.fields(doc)
        guard let index = OnePasswordConnectClient.match(ref, fields, sections) else { return false }
        return fields[index].hasValue
    }
}
