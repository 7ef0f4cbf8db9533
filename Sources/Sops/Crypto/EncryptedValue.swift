public import Core

/// The parsed form of `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`.
struct EncryptedValue {
    var data: [UInt8]
    var iv: [UInt8]
    var tag: [UInt8]
    var type: String

    /// Parses like sops's `^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]` (greedy groups, on the first
    /// line, trailing text tolerated); `nil` when the text does not have that shape or a field is not base64.
    init?(parsing text: String) {
        let prefix = Array("ENC[AES256_GCM,data:".utf8)
        var line = Array(text.utf8)
        if let nl = line.firstIndex(of: 10) { line = Array(line[..<nl]) }
        guard line.count > prefix.count, Array(line[..<prefix.count]) == prefix,
              let close = line.lastIndex(of: 93)  // ]
        else { return nil }
        let body = Array(line[prefix.count..<close])
        // Greedy groups: each separator is its last occurrence that still leaves non-empty groups on both sides.
        guard let t = EncryptedValue.lastIndex(of: ",type:", in: body, before: body.count - 1),
              let g = EncryptedValue.lastIndex(of: ",tag:", in: body, before: t - 1),
              let v = EncryptedValue.lastIndex(of: ",iv:", in: body, before: g - 1),
              v >= 1
        else { return nil }
        let dataText = String(decoding: body[0..<v], as: UTF8.self)
        let ivText = String(decoding: body[(v + 4)..<g], as: UTF8.self)
        let tagText = String(decoding: body[(g + 5)..<t], as: UTF8.self)
        let typeText = String(decoding: body[(t + 6)...], as: UTF8.self)
        guard let d = Base64.decode(dataText, mode: .lenient), let i = Base64.decode(ivText, mode: .lenient),
              let tg = Base64.decode(tagText, mode: .lenient) else {
            return nil
        }
        data = d
        iv = i
        tag = tg
        type = typeText
    }

    init(data: [UInt8], iv: [UInt8], tag: [UInt8], type: String) {
        self.data = data
        self.iv = iv
        self.tag = tag
        self.type = type
    }

    /// The canonical text.
    var text: String {
        "ENC[AES256_GCM,data:\(Base64.encode(data)),iv:\(Base64.encode(iv)),tag:\(Base64.encode(tag)),type:\(type)]"
    }

    /// Last start index of `needle` in `hay` such that at least one byte precedes it and the match ends at or before
    /// `limit` (the index of the last byte the following group may start at).
    private static func lastIndex(of needle: String, in hay: [UInt8], before limit: Int) -> Int? {
        let n = Array(needle.utf8)
        var i = min(hay.count - n.count, limit - n.count + 1)
        while i >= 1 {
            if hay[i] == n[0] && Array(hay[i..<(i + n.count)]) == n { return i }
            i -= 1
        }
        return nil
    }

    /// Whether `text` starts like an ENC value (cheap check before parsing).
    static func looksEncrypted(_ text: String) -> Bool { text.hasPrefix("ENC[AES256_GCM,") }
}

/// Encrypts and decrypts single values the way sops's `aes.Cipher` does.
enum ValueCipher {
    /// Encrypts `leaf` under `key` with `aad`, using `iv` or a fresh random one.
    static func encrypt(_ leaf: SopsLeaf, key: SecretBytes, aad: String, iv: [UInt8]? = nil) throws(CloakError) -> String {
        let useIV = iv ?? AESGCM.randomIV()
        let sealed = try leaf.bytes.withUnsafeBytes { (p) throws(CloakError) in
            try AESGCM.seal(key: key, iv: useIV, aad: Array(aad.utf8), plaintext: p)
        }
        return EncryptedValue(data: sealed.ciphertext, iv: useIV, tag: sealed.tag, type: leaf.type.rawValue).text
    }

    /// Decrypts an ENC string. Errors carry no value text; callers prefix the key path.
    static func decrypt(_ text: String, key: SecretBytes, aad: String) throws(CloakError) -> (leaf: SopsLeaf, iv: [UInt8]) {
        guard let ev = EncryptedValue(parsing: text) else {
            throw CloakError(.decrypt, "value does not match sops' data format ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]")
        }
        guard let type = SopsLeafType(rawValue: ev.type) else {
            throw CloakError(.decrypt, "unknown datatype '\(ev.type)' in encrypted value")
        }
        let plain = try AESGCM.open(key: key, iv: ev.iv, aad: Array(aad.utf8), ciphertext: ev.data, tag: ev.tag)
        return (SopsLeaf(type: type, bytes: plain), ev.iv)
    }
}
