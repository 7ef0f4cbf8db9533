import Core

/// Walks documents depth-first in document order (A.6), encrypting or decrypting the leaves the rules select and
/// computing the MAC over the plaintexts (A.7).
struct TreeCipher {
    let decider: CryptDecider
    let key: SecretBytes
    let file: String
    var stash: IVStash
    private let hash = Digest.sha512()
    private let decrypting: Bool

    private static let macOnlyPrefix: [UInt8] = [
        0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
        0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
    ]

    init(rules: SopsCryptRules, key: SecretBytes, file: String, stash: IVStash, decrypting: Bool) throws(CloakError) {
        decider = try CryptDecider(rules, file: file)
        self.key = key
        self.file = file
        self.stash = stash
        self.decrypting = decrypting
        if rules.macOnlyEncrypted { hash.update(TreeCipher.macOnlyPrefix) }
    }

    /// Processes every document; returns the transformed documents.
    mutating func run(_ documents: [[SopsItem]]) throws(CloakError) -> [[SopsItem]] {
        var out: [[SopsItem]] = []
        for doc in documents {
            var stack: [[String]] = []
            out.append(try walkItems(doc, path: [], display: "", stack: &stack))
        }
        return out
    }

    /// Upper-case hex SHA-512 of the fed plaintexts; call after `run`.
    func macHex() -> String { Hex.encode(hash.finish(), uppercase: true) }

    private mutating func walkItems(
        _ items: [SopsItem], path: [String], display: String, stack: inout [[String]]
    ) throws(CloakError) -> [SopsItem] {
        stack.append([])
        defer { stack.removeLast() }
        var out: [SopsItem] = []
        out.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .comment(let text):
                let (newText, plain) = try comment(text, path: path, stack: &stack)
                _ = plain
                out.append(.comment(newText))
            case .entry(let k, let v):
                let nv = try walkValue(v, path: path + [k], display: display + "[\"\(k)\"]", stack: &stack)
                out.append(.entry(k, nv))
                stack[stack.count - 1] = []
            }
        }
        return out
    }

    private mutating func walkValue(
        _ value: SopsValue, path: [String], display: String, stack: inout [[String]]
    ) throws(CloakError) -> SopsValue {
        switch value {
        case .mapping(let items):
            return .mapping(try walkItems(items, path: path, display: display, stack: &stack))
        case .list(let elements):
            stack.append([])
            defer { stack.removeLast() }
            var out: [SopsValue] = []
            for (i, e) in elements.enumerated() {
                if case .comment(let text) = e {
                    let (t, _) = try comment(text, path: path, stack: &stack)
                    out.append(.comment(t))
                    continue
                }
                out.append(try walkValue(e, path: path, display: display + "[\(i)]", stack: &stack))
                stack[stack.count - 1] = []
            }
            return .list(out)
        case .null:
            return .null
        case .comment(let text):
            let (t, _) = try comment(text, path: path, stack: &stack)
            return .comment(t)
        case .leaf(let leaf):
            return .leaf(try self.leaf(leaf, path: path, display: display, stack: stack))
        }
    }

    private mutating func leaf(
        _ leaf: SopsLeaf, path: [String], display: String, stack: [[String]]
    ) throws(CloakError) -> SopsLeaf {
        let encrypted = decider.isEncrypted(path: path, comments: stack, isComment: false)
        let aad = path.joined(separator: ":") + ":"
        let shown = display.isEmpty ? "<root>" : display
        if decrypting {
            var plain = leaf
            if encrypted && !leaf.isEmpty {
                guard leaf.type == .str else {
                    throw CloakError(.decrypt, "\(file): expected an encrypted value at \(shown), but got \(leaf.type.rawValue)")
                }
                let text = leaf.bytes.publicString
                do {
                    let (l, iv) = try ValueCipher.decrypt(text, key: key, aad: aad)
                    plain = l
                    stash.remember(aad: aad, leaf: l, iv: iv)
                } catch {
                    if error.message.hasPrefix("message authentication failed") {
                        throw CloakError(.decrypt, "\(file): authentication failed decrypting value at \(shown) "
                            + "(the ciphertext was altered or moved to another key)")
                    }
                    throw CloakError(.decrypt, "\(file): cannot decrypt value at \(shown): \(error.message)")
                }
            }
            feedMAC(plain, encrypted: encrypted)
            return plain
        } else {
            feedMAC(leaf, encrypted: encrypted)
            guard encrypted && !leaf.isEmpty else { return leaf }
            if leaf.type == .bytes || leaf.type == .comment {
                // Encrypted as-is with its own type tag.
            }
            let text = try ValueCipher.encrypt(leaf, key: key, aad: aad, iv: stash.iv(aad: aad, leaf: leaf))
            return .string(text)
        }
    }

    private func feedMAC(_ leaf: SopsLeaf, encrypted: Bool) {
        if decider.rules.macOnlyEncrypted && !encrypted { return }
        leaf.bytes.withUnsafeBytes { hash.update($0) }
    }

    /// Encrypts or decrypts one comment; pushes its plaintext on the stack. Returns the new text and the plaintext.
    private mutating func comment(
        _ text: SecretBytes, path: [String], stack: inout [[String]]
    ) throws(CloakError) -> (SecretBytes, SecretBytes) {
        let aad = path.joined(separator: ":") + ":"
        if decrypting {
            var plain = text
            let raw = text.publicString
            var candidate = stack
            candidate[candidate.count - 1].append(raw)
            if text.count > 0 && decider.isEncrypted(path: path, comments: candidate, isComment: true),
               let (l, iv) = try? ValueCipher.decrypt(raw, key: key, aad: aad) {
                // A comment that does not decrypt is kept as written (files from old sops versions).
                plain = l.bytes
                stash.remember(aad: aad, leaf: SopsLeaf(type: .comment, bytes: l.bytes), iv: iv)
            }
            // Comment text on the stack is only compared with regexes; comments are public unless encrypted.
            stack[stack.count - 1].append(plain.unsafeString())
            return (plain, plain)
        } else {
            let plainText = text.unsafeString()
            stack[stack.count - 1].append(plainText)
            guard text.count > 0, decider.isEncrypted(path: path, comments: stack, isComment: true) else {
                return (text, text)
            }
            let leaf = SopsLeaf(type: .comment, bytes: text)
            let enc = try ValueCipher.encrypt(leaf, key: key, aad: aad, iv: stash.iv(aad: aad, leaf: leaf))
            return (SecretBytes.text(enc), text)
        }
    }
}
