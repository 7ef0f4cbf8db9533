public import Core

/// One reply of the Redis serialisation protocol (RESP2). Bulk strings are held as secret bytes: a store value is
/// not necessarily a secret, but it never needs to be copied into ordinary memory either.
public enum RESPReply: Sendable {
    /// `+OK`.
    case simple(String)
    /// `-ERR …`: the server's error line.
    case error(String)
    /// `:42`.
    case integer(Int)
    /// `$n` followed by n bytes; nil for `$-1` (a missing key).
    case bulk(SecretBytes?)
    /// `*n` followed by n replies; nil for `*-1`.
    case array([RESPReply]?)

    /// Largest bulk string accepted (the 10 MB cap every store applies to a response).
    public static let maxBulk = 10 * 1024 * 1024
    /// Largest array accepted.
    public static let maxArray = 1 << 20

    /// Parses one reply from the start of `buffer`: the reply and how many bytes it took, or nil when the buffer
    /// does not hold a whole reply yet. Malformed input is a `.backend` error.
    public static func parse(_ buffer: UnsafeRawBufferPointer) throws(CloakError) -> (RESPReply, Int)? {
        // A first pass only checks that the whole reply is there, so a large reply arriving in many reads is not
        // copied out again for every read.
        var end = 0
        guard try parse(buffer, at: &end, depth: 0, keep: false) != nil else { return nil }
        var at = 0
        guard let reply = try parse(buffer, at: &at, depth: 0, keep: true) else { return nil }
        return (reply, at)
    }

    private static func parse(
        _ b: UnsafeRawBufferPointer, at: inout Int, depth: Int, keep: Bool
    ) throws(CloakError) -> RESPReply? {
        guard depth < 8 else { throw malformed("arrays nested too deep") }
        guard at < b.count else { return nil }
        let kind = b[at]
        guard let lineEnd = lineEnd(b, from: at + 1) else {
            if b.count - at > 64 * 1024 { throw malformed("a header line is too long") }
            return nil
        }
        let line = UnsafeRawBufferPointer(rebasing: b[(at + 1)..<lineEnd])
        let next = lineEnd + 2
        switch kind {
        case UInt8(ascii: "+"):
            at = next
            return .simple(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: "-"):
            at = next
            return .error(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: ":"):
            guard let n = integer(line) else { throw malformed("an integer reply is not a number") }
            at = next
            return .integer(n)
        case UInt8(ascii: "$"):
            guard let n = integer(line), n >= -1 else { throw malformed("a bulk length is not a number") }
            if n == -1 {
                at = next
                return .bulk(nil)
            }
            guard n <= maxBulk else { throw CloakError(.backend, "redis: a value is larger than 10 MB; refused") }
            guard b.count - next >= n + 2 else { return nil }
            guard b[next + n] == 13, b[next + n + 1] == 10 else { throw malformed("a bulk string is not terminated") }
            let value = keep ? SecretBytes(copying: UnsafeRawBufferPointer(rebasing: b[next..<(next + n)])) : nil
            at = next + n + 2
            return .bulk(value)
        case UInt8(ascii: "*"):
            guard let n = integer(line), n >= -1 else { throw malformed("an array length is not a number") }
            if n == -1 {
                at = next
                return .array(nil)
            }
            guard n <= maxArray else { throw malformed("an array is too long") }
            var cursor = next
            var items: [RESPReply] = []
            if keep { items.reserveCapacity(n) }
            for _ in 0..<n {
                guard let item = try parse(b, at: &cursor, depth: depth + 1, keep: keep) else { return nil }
                if keep { items.append(item) }
            }
            at = cursor
            return .array(items)
        default:
            throw malformed("unexpected reply type byte \(kind)")
        }
    }

    private static func lineEnd(_ b: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        while i + 1 < b.count {
            if b[i] == 13 && b[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }

    private static func integer(_ line: UnsafeRawBufferPointer) -> Int? {
        guard !line.isEmpty, line.count <= 20 else { return nil }
        var negative = false
        var value = 0
        for (i, c) in line.enumerated() {
            if i == 0 && c == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(c - 48))
            guard !o1, !o2 else { return nil }
            value = s
        }
        if negative && line.count == 1 { return nil }
        return negative ? -value : value
    }

    private static func malformed(_ what: String) -> CloakError {
        CloakError(.backend, "redis: malformed reply (\(what))")
    }
}

/// One argument of a Redis command: plain text, or secret bytes (a password) that go straight into the request.
public enum RESPArgument: Sendable {
    /// Plain text.
    case text(String)
    /// Secret bytes.
    case secret(SecretBytes)

    /// The request for a command: `*<n>` then `$<len>` and the bytes of each argument (RESP2 multi-bulk).
    public static func request(_ arguments: [RESPArgument]) -> SecureBuffer {
        let out = SecureBuffer(capacity: 64 + arguments.count * 32)
        out.append("*\(arguments.count)\r\n")
        for argument in arguments {
            switch argument {
            case .text(let t):
                out.append("$\(t.utf8.count)\r\n")
                out.append(t)
            case .secret(let s):
                out.append("$\(s.count)\r\n")
                out.append(s)
            }
            out.append("\r\n")
        }
        return out
    }
}
