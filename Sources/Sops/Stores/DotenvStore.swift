public import Core
internal import YAML

/// sops's dotenv store: `KEY=value` lines, `#` comments, values always strings, metadata as `sops_…` lines.
struct DotenvStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        var items: [SopsItem] = []
        var meta: [(String, String)] = []
        var lineNo = 0
        for lineSlice in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNo += 1
            if lineSlice.isEmpty { continue }
            var line = Array(lineSlice)
            if line[0] == UInt8(ascii: "#") {
                var text = Array(line.dropFirst())
                line.removeAll()
                items.append(.comment(SecretBytes(consuming: &text)))
                continue
            }
            guard let eq = line.firstIndex(of: UInt8(ascii: "=")) else {
                throw CloakError(.config, "invalid dotenv input line", at: SourceLocation(file: file, line: lineNo))
            }
            let key = String(decoding: line[..<eq], as: UTF8.self)
            var value = Self.unescape(Array(line[(eq + 1)...]))
            line.removeAll()
            if key.hasPrefix("sops_") {
                meta.append((String(key.dropFirst(5)), String(decoding: value, as: UTF8.self)))
                continue
            }
            items.append(.entry(key, .leaf(SopsLeaf(type: .str, bytes: SecretBytes(consuming: &value)))))
        }
        if meta.isEmpty { return LoadedDocuments(documents: [items]) }
        let m = try FlatMetadata.unflatten(meta.map { ($0.0, FlatMetadata.escapeNewlines($0.1)) }, file: file)
        return LoadedDocuments(documents: [items], metadata: m, flatKeyOrder: meta.map(\.0))
    }

    /// `\n` (two characters) → newline.
    private static func unescape(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(v.count)
        var i = 0
        while i < v.count {
            if v[i] == 92, i + 1 < v.count, v[i + 1] == UInt8(ascii: "n") {
                out.append(10)
                i += 2
            } else {
                out.append(v[i])
                i += 1
            }
        }
        return out
    }

    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        var out: [UInt8] = []
        for item in documents.first ?? [] {
            switch item {
            case .comment(let text):
                out.append(UInt8(ascii: "#"))
                text.withUnsafeBytes { out += $0 }
                out.append(10)
            case .entry(let k, let v):
                guard case .leaf(let leaf) = v else {
                    if case .null = v {
                        out += Array(k.utf8) + [61, 10]
                        continue
                    }
                    throw CloakError(.usage, "cannot use complex value in dotenv file; offending key \(k)")
                }
                out += Array(k.utf8)
                out.append(61)
                Self.appendEscaped(leaf, to: &out)
                out.append(10)
            }
        }
        if let metadata {
            let pairs = FlatMetadata.ordered(FlatMetadata.flatten(metadata), keep: flatKeyOrder)
            for (k, v) in pairs { out += Array(("sops_" + k + "=" + FlatMetadata.escapeNewlines(v) + "\n").utf8) }
        }
        return out
    }

    private static func appendEscaped(_ leaf: SopsLeaf, to out: inout [UInt8]) {
        if leaf.type == .str || leaf.type == .bytes || leaf.type == .comment {
            leaf.bytes.withUnsafeBytes { b in
                for c in b {
                    if c == 10 { out += [92, UInt8(ascii: "n")] } else { out.append(c) }
                }
            }
        } else {
            out += Array(leaf.envString.utf8)
        }
    }
}

extension SopsLeaf {
    /// How `exec-env` and the dotenv emitter stringify non-string scalars (A.15); strings as-is.
    var envString: String {
        switch type {
        case .bool: return (MetadataCodec.parseBool(bytes.unsafeString()) ?? false) ? "true" : "false"
        case .float: return GoFloat.formatSopsEnv(doubleValue)
        default: return bytes.unsafeString()
        }
    }
}
