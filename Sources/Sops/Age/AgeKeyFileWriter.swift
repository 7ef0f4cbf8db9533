public import Core

/// Appends an identity as one bare line to an age key file (0700 directory, 0600 file), never twice.
public enum AgeKeyFileWriter {
    public static func append(_ identity: AgeIdentity, to path: String) throws(CloakError) {
        try FileSystem.createDirectories(Path.dirname(path), mode: 0o700)
        let line = identity.encoded()
        try AtomicFile.update(path: path, mode: 0o600) { (existing) throws(CloakError) -> [UInt8] in
            var bytes = existing ?? []
            let lineBytes = line.withUnsafeBytes { Array($0) }
            if containsLine(bytes, lineBytes) { return bytes }
            if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
            bytes += lineBytes
            bytes.append(0x0A)
            return bytes
        }
    }

    private static func containsLine(_ haystack: [UInt8], _ line: [UInt8]) -> Bool {
        haystack.split(separator: 0x0A).contains { $0.elementsEqual(line) }
    }
}
