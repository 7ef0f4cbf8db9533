public import Core

/// A bus address cloak can connect to: the Unix-socket transports of the specification's address syntax
/// (`unix:path=…`, `unix:abstract=…`, several separated by `;`, values percent-escaped).
public enum DBusAddress: Equatable, Sendable {
    /// A socket file.
    case path(String)
    /// A Linux abstract-namespace socket.
    case abstract(String)

    /// Every usable address in `text`, in order; throws when there is none.
    public static func parse(_ text: String) throws(CloakError) -> [DBusAddress] {
        var found: [DBusAddress] = []
        for entry in text.split(separator: ";") {
            guard let colon = entry.firstIndex(of: ":"), entry[..<colon] == "unix" else { continue }
            for pair in entry[entry.index(after: colon)...].split(separator: ",") {
                guard let eq = pair.firstIndex(of: "=") else { continue }
                let key = pair[..<eq]
                guard let value = unescape(pair[pair.index(after: eq)...]), !value.isEmpty else { continue }
                if key == "path" { found.append(.path(value)) }
                if key == "abstract" { found.append(.abstract(value)) }
            }
        }
        guard !found.isEmpty else {
            throw CloakError(
                .backend,
                "D-Bus: DBUS_SESSION_BUS_ADDRESS has no unix:path= or unix:abstract= address; run inside a desktop "
                    + "session or dbus-run-session")
        }
        return found
    }

    private static func unescape(_ s: Substring) -> String? {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%") {
                guard bytes.count >= 2, let hi = Hex.digitValue(bytes.removeFirst()),
                    let lo = Hex.digitValue(bytes.removeFirst())
                else { return nil }
                out.append(hi << 4 | lo)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
