public import Core

extension SopsFile {
    /// Locked read-modify-write of the SOPS file at `path`: decrypt it (or, when missing, create it from the rule
    /// `newFileRule` returns), apply `edit`, re-encrypt reusing IVs of unchanged values, and replace the file
    /// atomically with mode 0600 (parent directories 0755).
    public static func update(
        path: String, format: SopsFormat? = nil, services: [any SopsKeyService],
        newFileRule: () throws(CloakError) -> SopsCreationRule,
        now: @escaping () -> Int64 = { SopsClock.now() }, options: SopsEmitOptions = SopsEmitOptions(),
        edit: (inout SopsFile) throws(CloakError) -> Void
    ) throws(CloakError) {
        let fmt = format ?? SopsFormat(path: path)
        try AtomicFile.update(path: path, mode: 0o600) { (existing) throws(CloakError) -> [UInt8] in
            var file: SopsFile
            if let existing {
                file = try SopsFile.decrypt(existing, file: path, format: fmt, services: services)
            } else {
                file = try SopsFile.create(file: path, format: fmt, rule: try newFileRule(), services: services)
            }
            try edit(&file)
            return try file.encrypted(now: now(), options: options)
        }
    }
}
