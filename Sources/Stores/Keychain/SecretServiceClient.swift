public import Core

/// The calls cloak makes on the freedesktop Secret Service (org.freedesktop.Secret.*), over one private bus
/// connection with one session: `dh-ietf1024-sha256-aes128-cbc-pkcs7` when the service offers it, `plain`
/// only when it refuses. Not thread-safe: `SecretServiceKeyring` serialises access.
// @unchecked: SecretServiceKeyring only touches a client inside its mutex.
public final class SecretServiceClient: @unchecked Sendable {
    static let busName = "org.freedesktop.secrets"
    static let servicePath = "/org/freedesktop/secrets"
    static let serviceInterface = "org.freedesktop.Secret.Service"
    static let itemInterface = "org.freedesktop.Secret.Item"
    static let collectionInterface = "org.freedesktop.Secret.Collection"

    private let bus: DBusConnection
    private var sessionPath = "/"
    /// The AES key of an encrypted session; nil for `plain`.
    private var sessionKey: SecretBytes?

    /// Whether secrets travel encrypted on the bus.
    public var isEncrypted: Bool { sessionKey != nil }

    /// Connects and opens a session.
    public init(bus: DBusConnection, allowEncryption: Bool = true) throws(CloakError) {
        self.bus = bus
        if allowEncryption {
            let dh = try SecretServiceDH()
            let reply = try serviceCall("OpenSession", [.string(SecretServiceDH.algorithm), .variant(.bytes(dh.publicKey))])
            if reply.kind == .methodReturn {
                guard reply.body.count == 2, let serverKey = reply.body[0].unwrapped.byteArray,
                    let path = reply.body[1].text
                else { throw Self.unexpected("OpenSession") }
                sessionKey = try dh.sessionKey(serverPublicKey: serverKey)
                sessionPath = path
                return
            }
            guard reply.errorName == "org.freedesktop.DBus.Error.NotSupported" else {
                throw Self.failed("OpenSession", reply)
            }
        }
        let reply = try serviceCall("OpenSession", [.string("plain"), .variant(.string(""))])
        guard reply.kind == .methodReturn else { throw Self.failed("OpenSession", reply) }
        guard reply.body.count == 2, let path = reply.body[1].text else { throw Self.unexpected("OpenSession") }
        sessionPath = path
    }

    private func serviceCall(_ member: String, _ body: [DBusValue]) throws(CloakError) -> DBusMessage {
        try bus.call(
            .call(
                destination: Self.busName, path: Self.servicePath, interface: Self.serviceInterface, member: member,
                body: body))
    }

    static func failed(_ what: String, _ reply: DBusMessage) -> CloakError {
        if reply.errorName == "org.freedesktop.DBus.Error.ServiceUnknown" {
            return CloakError(
                .backend,
                "no Secret Service on the session bus (org.freedesktop.secrets); start gnome-keyring-daemon "
                    + "--components=secrets (or KWallet), or use options.backend: file")
        }
        return CloakError(.backend, "Secret Service \(what) failed\(reply.errorSummary)")
    }

    static func unexpected(_ what: String) -> CloakError {
        CloakError(.backend, "the Secret Service answered \(what) with an unexpected reply")
    }

    static func promptNeeded(_ what: String) -> CloakError {
        CloakError(
            .backend,
            "the Secret Service needs an interactive prompt to \(what), which a headless run cannot show; unlock the "
                + "keyring first (for example gnome-keyring-daemon --unlock) or use options.backend: file")
    }

    /// Items whose attributes include all of `attributes`, unlocked first.
    public func search(_ attributes: [String: String]) throws(CloakError) -> (unlocked: [String], locked: [String]) {
        let reply = try serviceCall("SearchItems", [.stringDictionary(attributes)])
        guard reply.kind == .methodReturn else { throw Self.failed("SearchItems", reply) }
        guard reply.body.count == 2, let u = reply.body[0].elements, let l = reply.body[1].elements else {
            throw Self.unexpected("SearchItems")
        }
        return (u.compactMap(\.text), l.compactMap(\.text))
    }

    /// Unlocks objects without a prompt; throws when the service would need one.
    public func unlock(_ paths: [String], purpose: String) throws(CloakError) -> [String] {
        let reply = try serviceCall("Unlock", [.objectPaths(paths)])
        guard reply.kind == .methodReturn else { throw Self.failed("Unlock", reply) }
        guard reply.body.count == 2, let unlocked = reply.body[0].elements, let prompt = reply.body[1].text else {
            throw Self.unexpected("Unlock")
        }
        if prompt != "/" { throw Self.promptNeeded(purpose) }
        return unlocked.compactMap(\.text)
    }

    /// The default collection's object path (`ReadAlias("default")`).
    public func defaultCollection() throws(CloakError) -> String {
        let reply = try serviceCall("ReadAlias", [.string("default")])
        guard reply.kind == .methodReturn else { throw Self.failed("ReadAlias", reply) }
        guard let path = reply.body.first?.text else { throw Self.unexpected("ReadAlias") }
        guard path != "/" else {
            throw CloakError(
                .backend,
                "the Secret Service has no default collection; create one (for example log in once, or run "
                    + "gnome-keyring-daemon --unlock) or use options.backend: file")
        }
        return path
    }

    /// An item's secret (`Item.GetSecret`), decrypted with the session key.
    public func secret(of item: String) throws(CloakError) -> SecretBytes {
        var reply = try bus.call(
            .call(
                destination: Self.busName, path: item, interface: Self.itemInterface, member: "GetSecret",
                body: [.objectPath(sessionPath)]),
            secret: true)
        guard reply.kind == .methodReturn else { throw Self.failed("GetSecret", reply) }
        var parameters: [UInt8] = []
        var value: [UInt8] = []
        do {
            guard let fields = reply.body.first?.fields, fields.count == 4, let p = fields[1].byteArray,
                let v = fields[2].byteArray
            else { throw Self.unexpected("GetSecret") }
            parameters = p
            value = v
        }
        // Dropping the message leaves `value` the only owner of its bytes, so wiping it wipes them in place
        // (with a `plain` session they are the cleartext).
        reply.body = []
        defer {
            for i in parameters.indices { parameters[i] = 0 }
            for i in value.indices { value[i] = 0 }
        }
        guard let key = sessionKey else { return SecretBytes(consuming: &value) }
        return try AESCBC.decrypt(key: key, iv: parameters, ciphertext: value)
    }

    /// Creates or replaces (`replace = true`) an item in `collection`.
    public func createItem(
        in collection: String, label: String, attributes: [String: String], value: SecretBytes
    ) throws(CloakError) {
        var parameters: [UInt8] = []
        var payload: [UInt8]
        if let key = sessionKey {
            parameters = SecretBytes.randomPublic(count: 16)
            payload = try AESCBC.encrypt(key: key, iv: parameters, plaintext: value)
        } else {
            payload = value.withUnsafeBytes { Array($0) }
        }
        defer { for i in payload.indices { payload[i] = 0 } }
        let properties = DBusValue.variantDictionary([
            ("org.freedesktop.Secret.Item.Label", .string(label)),
            ("org.freedesktop.Secret.Item.Attributes", .stringDictionary(attributes)),
        ])
        let secret = DBusValue.structure([
            .objectPath(sessionPath), .bytes(parameters), .bytes(payload), .string("text/plain"),
        ])
        let reply = try bus.call(
            .call(
                destination: Self.busName, path: collection, interface: Self.collectionInterface,
                member: "CreateItem", body: [properties, secret, .boolean(true)]),
            secret: true)
        guard reply.kind == .methodReturn else { throw Self.failed("CreateItem", reply) }
        guard reply.body.count == 2, let prompt = reply.body[1].text else { throw Self.unexpected("CreateItem") }
        if prompt != "/" { throw Self.promptNeeded("store the item") }
    }

    /// Deletes an item (`Item.Delete`).
    public func delete(item: String) throws(CloakError) {
        let reply = try bus.call(
            .call(destination: Self.busName, path: item, interface: Self.itemInterface, member: "Delete"))
        guard reply.kind == .methodReturn else { throw Self.failed("Delete", reply) }
        if let prompt = reply.body.first?.text, prompt != "/" { throw Self.promptNeeded("delete the item") }
    }
}
