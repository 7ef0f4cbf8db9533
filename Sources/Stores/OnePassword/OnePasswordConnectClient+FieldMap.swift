public import Core

/// Reads for vals-style `ref+onepasswordconnect` references: every field of an item under each name vals gives it.
extension OnePasswordConnectClient {
    /// The fields of item `item` (title or id) in vault `vault` (name or id), keyed as vals keys them: every field
    /// under its id; a field outside any section also under its label; a field in a section under
    /// `<section label>.<label>`, `<section label>.<id>`, `<section id>.<label>` and `<section id>.<id>`.
    /// A missing vault or item is a `.notInitialized` error naming it.
    public func fieldMap(vault: String, item: String) throws(CloakError) -> [(key: String, value: SecretBytes)] {
        let vid = try vaultId(vault)
        let what = "1password get item \"\(item)\""
        guard let iid = try itemId(vaultId: vid, title: item), let doc = try self.item(vaultId: vid, itemId: iid, what: what)
        else { throw CloakError(.notInitialized, "1password item \"\(item)\" not found in vault \"\(vault)\"") }
        defer { doc.wipe() }
        return doc.with { buf, root in
            func text(_ span: JSONSpan?) -> String? { span?.stringRange.flatMap { JSONScanner.plainString(buf, $0) } }
            var sectionLabels: [String: String] = [:]
            for s in root.member("sections", in: buf)?.elements ?? [] {
                if let id = text(s.member("id", in: buf)), let label = text(s.member("label", in: buf)), !label.isEmpty {
                    sectionLabels[id] = label
                }
            }
            var out: [(key: String, value: SecretBytes)] = []
            for f in root.member("fields", in: buf)?.elements ?? [] {
                guard let id = text(f.member("id", in: buf)) else { continue }
                let label = text(f.member("label", in: buf)) ?? ""
                var empty: [UInt8] = []
                let value =
                    f.member("value", in: buf)?.stringRange.flatMap { JSONScanner.secretString(buf, $0) }
                    ?? SecretBytes(consuming: &empty)
                out.append((id, value))
                guard let section = f.member("section", in: buf), let sid = text(section.member("id", in: buf)) else {
                    out.append((label, value))
                    continue
                }
                if let sl = text(section.member("label", in: buf)) ?? sectionLabels[sid], !sl.isEmpty {
                    out.append((sl + "." + label, value))
                    out.append((sl + "." + id, value))
                }
                out.append((sid + "." + label, value))
                out.append((sid + "." + id, value))
            }
            return out
        }
    }
}
