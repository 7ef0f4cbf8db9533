public import Core

/// Where a Redis server is and how to log in, parsed from a `redis://`, `rediss://` (TLS) or `unix://` URL
/// (`redis://[[user]:password@]host[:port][/db]`, `unix:///path/redis.sock?db=N&password=P`). The password is held
/// as secret bytes; `shown` is the URL without credentials, for messages.
public struct RedisURL: Sendable {
    /// Host name or address (unused for a Unix socket).
    public var host = "localhost"
    /// TCP port.
    public var port: UInt16 = 6379
    /// A Unix socket path, when the URL is `unix://`.
    public var socketPath: String?
    /// Whether to speak TLS (`rediss://`).
    public var tls = false
    /// ACL user name (`AUTH user password`), or nil for `AUTH password`.
    public var user: String?
    /// The password, if any.
    public var password: SecretBytes?
    /// The database number (`SELECT`).
    public var database = 0

    /// The URL without user or password.
    public var shown: String {
        if let socketPath { return "unix://" + socketPath }
        let h = host.contains(":") ? "[\(host)]" : host
        return (tls ? "rediss://" : "redis://") + h + ":\(port)/\(database)"
    }

    /// Parses `text`; errors name what is wrong without repeating the URL (it may hold a password).
    public static func parse(_ text: String) throws(CloakError) -> RedisURL {
        var url = RedisURL()
        var rest: Substring
        if text.hasPrefix("redis://") {
            rest = text.dropFirst(8)
        } else if text.hasPrefix("rediss://") {
            rest = text.dropFirst(9)
            url.tls = true
        } else if text.hasPrefix("unix://") {
            return try parseUnix(text.dropFirst(7))
        } else {
            throw CloakError(.config, "the redis URL must start with redis://, rediss:// or unix://")
        }
        if let q = rest.firstIndex(of: "?") {
            try url.apply(query: rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let db = rest[rest.index(after: slash)...]
            if !db.isEmpty {
                guard let n = Int(db), n >= 0 else { throw CloakError(.config, "the redis URL's database must be a number") }
                url.database = n
            }
        }
        if let at = authority.lastIndex(of: "@") {
            url.setCredentials(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        var hostPart = authority
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw CloakError(.config, "the redis URL has an unclosed [ in its host")
            }
            url.host = String(authority[authority.index(after: authority.startIndex)..<close])
            hostPart = authority[authority.index(after: close)...]
            if hostPart.hasPrefix(":") { try url.setPort(hostPart.dropFirst()) }
        } else if let colon = authority.lastIndex(of: ":") {
            url.host = String(authority[..<colon])
            try url.setPort(authority[authority.index(after: colon)...])
        } else if !authority.isEmpty {
            url.host = String(authority)
        }
        if url.host.isEmpty { url.host = "localhost" }
        return url
    }

    private static func parseUnix(_ rest: Substring) throws(CloakError) -> RedisURL {
        var url = RedisURL()
        var path = rest
        if let q = rest.firstIndex(of: "?") {
            path = rest[..<q]
            try url.apply(query: rest[rest.index(after: q)...])
        }
        if let at = path.lastIndex(of: "@") {
            url.setCredentials(path[..<at])
            path = path[path.index(after: at)...]
        }
        guard path.hasPrefix("/") else { throw CloakError(.config, "a unix:// redis URL needs an absolute socket path") }
        url.socketPath = String(path)
        return url
    }

    private mutating func setPort(_ text: Substring) throws(CloakError) {
        guard let p = UInt16(text), p > 0 else { throw CloakError(.config, "the redis URL's port must be 1-65535") }
        port = p
    }

    private mutating func setCredentials(_ userinfo: Substring) {
        let user: Substring
        var pass: Substring?
        if let colon = userinfo.firstIndex(of: ":") {
            user = userinfo[..<colon]
            pass = userinfo[userinfo.index(after: colon)...]
        } else {
            // go-redis reads `redis://word@host` as a password with no user name.
            user = ""
            pass = userinfo
        }
        if !user.isEmpty { self.user = Self.percentDecoded(user) }
        if let pass, !pass.isEmpty {
            var bytes = Self.percentDecodedBytes(pass)
            password = SecretBytes(consuming: &bytes)
        }
    }

    private mutating func apply(query: Substring) throws(CloakError) {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0]
            let value = parts.count > 1 ? parts[1] : ""
            switch key {
            case "db":
                guard let n = Int(value), n >= 0 else { throw CloakError(.config, "the redis URL's db must be a number") }
                database = n
            case "password":
                var bytes = Self.percentDecodedBytes(value)
                password = SecretBytes(consuming: &bytes)
            case "username", "user":
                user = Self.percentDecoded(value)
            default:
                // Client tuning options (dial_timeout, pool_size, …) have no meaning for a one-shot read.
                continue
            }
        }
    }

    static func percentDecoded(_ text: Substring) -> String {
        String(decoding: percentDecodedBytes(text), as: UTF8.self)
    }

    static func percentDecodedBytes(_ text: Substring) -> [UInt8] {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            if input[i] == UInt8(ascii: "%"), i + 2 < input.count, let hi = hex(input[i + 1]), let lo = hex(input[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(input[i])
                i += 1
            }
        }
        return out
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
