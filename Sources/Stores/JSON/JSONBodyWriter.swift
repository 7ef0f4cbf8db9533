import Core

/// Builds a JSON request body in libsodium memory, so secret values written into it never land in a `String`.
final class JSONBodyWriter {
    private let out = SecureBuffer(capacity: 512)
    private var needsComma: [Bool] = [false]

    /// Starts an object (as a value or at the top).
    func beginObject() {
        separator()
        out.append(byte: 0x7B)
        needsComma.append(false)
    }

    /// Ends the current object.
    func endObject() {
        needsComma.removeLast()
        out.append(byte: 0x7D)
    }

    /// Starts an array.
    func beginArray() {
        separator()
        out.append(byte: 0x5B)
        needsComma.append(false)
    }

    /// Ends the current array.
    func endArray() {
        needsComma.removeLast()
        out.append(byte: 0x5D)
    }

    /// Writes a member name; the next call writes its value.
    func key(_ name: String) {
        separator()
        quote(Array(name.utf8))
        out.append(byte: 0x3A)
        needsComma[needsComma.count - 1] = false
        pendingValue = true
    }

    /// A string value.
    func string(_ text: String) {
        separator()
        quote(Array(text.utf8))
    }

    /// A string value from a secret (escaped straight into guarded memory).
    func string(_ secret: SecretBytes) {
        separator()
        secret.withUnsafeBytes { quote($0) }
    }

    /// A boolean value.
    func bool(_ value: Bool) {
        separator()
        out.append(value ? "true" : "false")
    }

    /// An integer value.
    func int(_ value: Int) {
        separator()
        out.append(String(value))
    }

    /// `"name": "value"` in one call.
    func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// The finished body as a secret.
    func finish() -> SecretBytes { out.secret() }

    private var pendingValue = false

    private func separator() {
        if pendingValue {
            pendingValue = false
            needsComma[needsComma.count - 1] = true
            return
        }
        if needsComma[needsComma.count - 1] { out.append(byte: 0x2C) }
        needsComma[needsComma.count - 1] = true
    }

    private func quote(_ bytes: some Collection<UInt8>) {
        out.append(byte: 0x22)
        let hex = Array("0123456789abcdef".utf8)
        for b in bytes {
            switch b {
            case 0x22: out.append([0x5C, 0x22])
            case 0x5C: out.append([0x5C, 0x5C])
            case 0x0A: out.append([0x5C, 0x6E])
            case 0x0D: out.append([0x5C, 0x72])
            case 0x09: out.append([0x5C, 0x74])
            case 0..<0x20, 0x7F:
                out.append([0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(byte: b)
            }
        }
        out.append(byte: 0x22)
    }

    private func quote(_ buffer: UnsafeRawBufferPointer) {
        out.append(byte: 0x22)
        let hex = Array("0123456789abcdef".utf8)
        var runStart = 0
        for (i, b) in buffer.enumerated() {
            let special = b == 0x22 || b == 0x5C || b < 0x20 || b == 0x7F
            guard special else { continue }
            if i > runStart { out.append(UnsafeRawBufferPointer(rebasing: buffer[runStart..<i])) }
            switch b {
            case 0x22: out.append([0x5C, 0x22])
            case 0x5C: out.append([0x5C, 0x5C])
            case 0x0A: out.append([0x5C, 0x6E])
            case 0x0D: out.append([0x5C, 0x72])
            case 0x09: out.append([0x5C, 0x74])
            default: out.append([0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            }
            runStart = i + 1
        }
        if buffer.count > runStart { out.append(UnsafeRawBufferPointer(rebasing: buffer[runStart..<buffer.count])) }
        out.append(byte: 0x22)
    }
}
