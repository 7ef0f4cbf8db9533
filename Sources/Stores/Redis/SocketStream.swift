public import Core
import Glibc

/// A connected stream socket (TCP or Unix) whose every read and write is bounded by a deadline.
final class SocketStream {
    private let fd: Int32
    /// What the messages call the peer (`host:port` or the socket path; never credentials).
    let peer: String
    /// The TLS session every read and write goes through, once `startTLS` succeeded.
    private var tls: TLSSession?

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit {
        tls = nil
        close(fd)
    }

    /// Shakes hands with TLS, verifying that the certificate names `host`; later reads and writes are encrypted.
    func startTLS(host: String, caFile: String?, timeout: Double) throws(CloakError) {
        tls = try TLSSession(fd: fd, host: host, caFile: caFile, peer: peer, until: Deadline(seconds: timeout))
    }

    /// Connects to `host:port` (every address getaddrinfo returns, in order) within `timeout` seconds.
    static func tcp(host: String, port: UInt16, timeout: Double) throws(CloakError) -> SocketStream {
        let peer = (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw CloakError(.backend, "redis: cannot resolve \(peer) (\(String(cString: gai_strerror(rc))))")
        }
        defer { freeaddrinfo(list) }
        let deadline = Deadline(seconds: timeout)
        var failure = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), ai.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            if connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
                let ready = Self.wait(fd, for: Int16(POLLOUT), until: deadline)
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                if ready, getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0, soError == 0 {
                    var one: Int32 = 1
                    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    return SocketStream(fd: fd, peer: peer)
                }
                failure = ready ? String(cString: strerror(soError)) : "timed out after \(Deadline.format(timeout))"
            } else {
                failure = String(cString: strerror(errno))
            }
            close(fd)
        }
        throw CloakError(.backend, "redis: cannot connect to \(peer) (\(failure))")
    }

    /// Connects to the Unix socket at `path`.
    static func unix(path: String) throws(CloakError) -> SocketStream {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw CloakError(.backend, "redis: cannot create a socket (\(String(cString: strerror(errno))))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw CloakError(.config, "redis: the socket path \(path) is too long")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw CloakError(.backend, "redis: cannot connect to \(path) (\(String(cString: strerror(e))))")
        }
        return SocketStream(fd: fd, peer: path)
    }

    /// Writes all of `bytes` before `deadline`.
    func write(_ bytes: UnsafeRawBufferPointer, until deadline: Deadline) throws(CloakError) {
        if let tls { return try tls.write(bytes, until: deadline) }
        var sent = 0
        while sent < bytes.count {
            let n = send(fd, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            if n > 0 {
                sent += n
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                guard Self.wait(fd, for: Int16(POLLOUT), until: deadline) else { throw timedOut(deadline) }
            } else {
                throw CloakError(.backend, "redis: cannot write to \(peer) (\(String(cString: strerror(errno))))")
            }
        }
    }

    /// Reads what is available (at least one byte) into `buffer` before `deadline`; 0 means the peer closed.
    func read(into buffer: UnsafeMutableRawBufferPointer, until deadline: Deadline) throws(CloakError) -> Int {
        if let tls { return try tls.read(into: buffer, until: deadline) }
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            guard errno == EAGAIN || errno == EINTR else {
                throw CloakError(.backend, "redis: cannot read from \(peer) (\(String(cString: strerror(errno))))")
            }
            guard Self.wait(fd, for: Int16(POLLIN), until: deadline) else { throw timedOut(deadline) }
        }
    }

    private func timedOut(_ deadline: Deadline) -> CloakError {
        CloakError(.backend, "redis: \(peer) did not answer within \(Deadline.format(deadline.seconds))")
    }

    /// Waits until `fd` is ready for `events`; false at the deadline.
    static func wait(_ fd: Int32, for events: Int16, until deadline: Deadline) -> Bool {
        while true {
            let left = deadline.remainingMilliseconds
            guard left > 0 else { return false }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&p, 1, Int32(min(left, Int(Int32.max))))
            if rc > 0 { return true }
            if rc == 0 { return false }
            if errno != EINTR { return true }
        }
    }
}

/// A point in time on the monotonic clock, `seconds` after its creation.
struct Deadline {
    let seconds: Double
    private let end: Double

    init(seconds: Double) {
        self.seconds = seconds
        end = Self.now() + seconds
    }

    var remainingMilliseconds: Int { Int(((end - Self.now()) * 1000).rounded(.up)) }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
