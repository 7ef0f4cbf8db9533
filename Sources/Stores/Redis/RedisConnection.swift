public import Core

/// One connection to a Redis server (TCP, TLS for `rediss://`, or a Unix socket): connects, authenticates (`AUTH`), selects the database, then runs commands
/// one at a time, each reply read within the timeout. Not thread-safe.
public final class RedisConnection {
    private let stream: SocketStream
    private let timeout: Double
    private let reply = SecureBuffer(capacity: 16 * 1024)
    /// The server, without credentials (for messages).
    public let shown: String

    /// Connects to `url` within `timeout` seconds per step.
    public init(url: RedisURL, timeout: Double, caFile: String? = nil) throws(CloakError) {
        self.timeout = timeout
        shown = url.shown
        if let path = url.socketPath {
            stream = try SocketStream.unix(path: path)
        } else {
            stream = try SocketStream.tcp(host: url.host, port: url.port, timeout: timeout)
            if url.tls {
                do throws(CloakError) { try stream.startTLS(host: url.host, caFile: caFile, timeout: timeout) } catch {
                    throw error.prefixed("redis")
                }
            }
        }
        if let password = url.password {
            var args: [RESPArgument] = [.text("AUTH")]
            if let user = url.user { args.append(.text(user)) }
            args.append(.secret(password))
            let answer = try command(args, what: "AUTH")
            if case .error(let e) = answer {
                throw CloakError(.config, "redis: \(shown) refused the login (\(Self.oneLine(e))); check the URL's user and password")
            }
        }
        if url.database != 0 {
            if case .error(let e) = try command([.text("SELECT"), .text(String(url.database))], what: "SELECT") {
                throw CloakError(.config, "redis: \(shown) cannot select database \(url.database) (\(Self.oneLine(e)))")
            }
        }
    }

    /// Sends one command and returns its reply (a server error is returned as `.error`, not thrown).
    public func command(_ arguments: [RESPArgument], what: String) throws(CloakError) -> RESPReply {
        let deadline = Deadline(seconds: timeout)
        let request = RESPArgument.request(arguments)
        defer { request.reset() }
        do throws(CloakError) {
            try request.withUnsafeBytes { (bytes) throws(CloakError) in try stream.write(bytes, until: deadline) }
            reply.reset()
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
            defer {
                chunk.initializeMemory(as: UInt8.self, repeating: 0)
                chunk.deallocate()
            }
            while true {
                let n = try stream.read(into: chunk, until: deadline)
                guard n > 0 else { throw CloakError(.backend, "redis: \(stream.peer) closed the connection") }
                reply.append(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
                if let (answer, used) = try reply.withUnsafeBytes({ (b) throws(CloakError) in try RESPReply.parse(b) }) {
                    guard used == reply.count else {
                        throw CloakError(.backend, "redis: \(stream.peer) sent more than one reply to \(what)")
                    }
                    reply.reset()
                    return answer
                }
                if reply.count > RESPReply.maxBulk + 64 * 1024 * 1024 {
                    throw CloakError(.backend, "redis: the reply to \(what) is too large; refused")
                }
            }
        } catch {
            reply.reset()
            throw error
        }
    }

    /// A server error line cut to one short line.
    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}
