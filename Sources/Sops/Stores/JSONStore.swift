public import Core

/// sops's JSON store: one object per file, TAB indentation, Go escaping; comments are dropped.
struct JSONStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        let v = try GoJSON.parse(bytes, file: file)
        guard case .mapping(let items) = v else {
            throw CloakError(.config, "\(file): the top level of a SOPS JSON file must be an object")
        }
        let (docs, meta) = Self.separateMetadata([items])
        return LoadedDocuments(documents: docs, metadata: meta)
    }

    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        var items = documents.first ?? []
        if let metadata { items.append(.entry("sops", metadata)) }
        var out: [UInt8] = []
        let indent = options.jsonIndent.map { String(repeating: " ", count: $0) } ?? "\t"
        try GoJSON.write(.mapping(items), indent: indent, to: &out)
        out.append(10)
        return out
    }
}

/// sops's binary store: the whole file is the string value `data`; encrypted form is JSON.
struct BinaryStore: SopsStore {
    func load(_ bytes: [UInt8], file: String) throws(CloakError) -> LoadedDocuments {
        // An encrypted binary file is JSON with a `sops` key; anything else is raw data.
        if bytes.first == UInt8(ascii: "{"), let loaded = try? JSONStore().load(bytes, file: file),
           loaded.metadata != nil
        {
            return loaded
        }
        var copy = bytes
        return LoadedDocuments(documents: [[.entry("data", .leaf(SopsLeaf(type: .str, bytes: SecretBytes(consuming: &copy))))]])
    }

    func emit(
        _ documents: [[SopsItem]], metadata: SopsValue?, flatKeyOrder: [String]?, options: SopsEmitOptions
    ) throws(CloakError) -> [UInt8] {
        if metadata != nil {
            return try JSONStore().emit(documents, metadata: metadata, flatKeyOrder: nil, options: options)
        }
        for item in documents.first ?? [] {
            if case .entry("data", .leaf(let l)) = item { return l.bytes.withUnsafeBytes { Array($0) } }
        }
        throw CloakError(.decrypt, "binary file has no 'data' key")
    }
}
