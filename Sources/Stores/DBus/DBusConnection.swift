public import Core
import Glibc

/// A private connection to a message bus over a Unix socket: SASL `EXTERNAL` authentication, `Hello`, then
/// method calls matched to their replies by serial. Every wait is bounded by `timeout`. Not thread-safe: callers
/// serialise access.
public final class DBusConnection {
    private let fd: Int32
    private let timeout: Double
    private var nextSerial: UInt32 = 1
    private var pending: [UInt8] = []
    /// The unique name the bus assigned (`:1.42`).
    public private(set) var uniqueName = ""

    /// Connects to the first reachable address, authenticates and says `Hello`.
    public init(addresses: [DBusAddress], timeout: Double) throws(CloakError) {
        self.timeout = timeout
        var lastError = CloakError(.backend, "D-Bus: no address to connect to")
        var opened: Int32 = -1
        for address in addresses {
            do {
                opened = try Self.open(address)
                break
            } catch {
                lastError = error
            }
        }
        guard opened >= 0 else { throw lastError }
        fd = opened
        let deadline = Self.now() + timeout
        try authenticate(deadline: deadline)
        let reply = try call(
            .call(
                destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
                member: "Hello"))
        guard reply.kind == .methodReturn, let name = reply.body.first?.text else {
            throw CloakError(.backend, "D-Bus: the bus refused Hello\(reply.errorSummary)")
        }
        uniqueName = name
    }

    deinit {
        wipe(&pending)
        close(fd)
    }

    private static func open(_ address: DBusAddress) throws(CloakError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw CloakError(.backend, "D-Bus: cannot create a socket (errno \(errno))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let (name, abstract, shown): ([UInt8], Bool, String) =
            switch address {
            case .path(let p): (Array(p.utf8), false, p)
            case .abstract(let a): (Array(a.utf8), true, "@" + a)
            }
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        let offset = abstract ? 1 : 0
        guard name.count + offset < capacity else {
            close(fd)
            throw CloakError(.backend, "D-Bus: socket address \(shown) is too long")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in name.enumerated() { raw[i + offset] = b }
        }
        // An abstract name's length is exact (no terminator); a path's includes its nul.
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + offset + name.count + (abstract ? 0 : 1)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(length)) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw CloakError(
                .backend,
                "D-Bus: cannot connect to the session bus at \(shown) (\(String(cString: strerror(e)))); is "
                    + "DBUS_SESSION_BUS_ADDRESS current?")
        }
        return fd
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Waits until the socket is ready for `events`, or throws once the deadline passes.
    private func wait(_ events: Int16, deadline: Double, doing: String) throws(CloakError) {
        while true {
            let left = deadline - Self.now()
            guard left > 0 else {
                throw CloakError(
                    .backend,
                    "D-Bus: the session bus did not answer \(doing) within \(Self.seconds(timeout)); is the "
                        + "Secret Service (gnome-keyring, KWallet) running? (raise options.timeout if it is slow)")
            }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&p, 1, Int32(min(left * 1000 + 1, 60_000)))
            if rc > 0 { return }
            if rc < 0 && errno != EINTR {
                throw CloakError(.backend, "D-Bus: waiting on the bus socket failed (errno \(errno))")
            }
        }
    }

    static func seconds(_ t: Double) -> String {
        t == t.rounded() ? "\(Int(t)) s" : "\(t) s"
    }

    private func send(_ bytes: [UInt8], deadline: Double, doing: String) throws(CloakError) {
        var sent = 0
        while sent < bytes.count {
            try wait(Int16(POLLOUT), deadline: deadline, doing: doing)
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw CloakError(.backend, "D-Bus: the bus closed the connection \(doing) (errno \(errno))")
            }
            sent += n
        }
    }

    /// Reads more bytes into `pending`.
    private func receiveMore(deadline: Double, doing: String) throws(CloakError) {
        try wait(Int16(POLLIN), deadline: deadline, doing: doing)
        var chunk = [UInt8](repeating: 0, count: 65536)
        defer { wipe(&chunk) }
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            throw CloakError(.backend, "D-Bus: reading from the bus failed \(doing) (errno \(errno))")
        }
        guard n > 0 else { throw CloakError(.backend, "D-Bus: the bus closed the connection \(doing)") }
        pending.append(contentsOf: chunk[0..<n])
    }

    private func authenticate(deadline: Double) throws(CloakError) {
        let uid = Array(String(getuid()).utf8)
        try send(Array("\0AUTH EXTERNAL \(Hex.encode(uid))\r\n".utf8), deadline: deadline, doing: "authentication")
        var line: [UInt8] = []
        while true {
            if let end = pending.indices.first(where: { $0 > 0 && pending[$0 - 1] == 13 && pending[$0] == 10 }) {
                line = Array(pending[..<(end - 1)])
                pending.removeSubrange(...end)
                break
            }
            guard pending.count < 4096 else { throw DBusType.malformed("authentication line too long") }
            try receiveMore(deadline: deadline, doing: "authentication")
        }
        guard line.starts(with: Array("OK ".utf8)) else {
            throw CloakError(
                .backend, "D-Bus: the bus rejected EXTERNAL authentication for uid \(getuid()); is it another user's bus?")
        }
        try send(Array("BEGIN\r\n".utf8), deadline: deadline, doing: "authentication")
    }

    /// Sends a method call and returns its reply (a method return or an error message); signals and unrelated
    /// messages are skipped. With `secret`, the outgoing bytes and the reply's raw bytes are wiped afterwards.
    public func call(_ message: DBusMessage, secret: Bool = false) throws(CloakError) -> DBusMessage {
        var m = message
        m.serial = nextSerial
        nextSerial &+= 1
        if nextSerial == 0 { nextSerial = 1 }
        let doing = "\(m.interface.map { $0 + "." } ?? "")\(m.member ?? "")"
        let deadline = Self.now() + timeout
        var out = m.encode()
        defer { if secret { wipe(&out) } }
        try send(out, deadline: deadline, doing: doing)
        while true {
            var frame = try nextFrame(deadline: deadline, doing: doing)
            defer { wipe(&frame) }
            let reply = try DBusMessage.decode(frame)
            if (reply.kind == .methodReturn || reply.kind == .error) && reply.replySerial == m.serial {
                return reply
            }
        }
    }

    private func nextFrame(deadline: Double, doing: String) throws(CloakError) -> [UInt8] {
        while pending.count < 16 { try receiveMore(deadline: deadline, doing: doing) }
        let total = try DBusMessage.frameLength(Array(pending[0..<16]))
        while pending.count < total { try receiveMore(deadline: deadline, doing: doing) }
        let frame = Array(pending[0..<total])
        for i in 0..<total { pending[i] = 0 }
        pending.removeSubrange(0..<total)
        return frame
    }

    private func wipe(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
        bytes.removeAll()
    }
}

extension DBusMessage {
    /// ` (name: message)` for an error reply, the message shortened and stripped of control characters; empty
    /// otherwise. Error texts come from the service and never hold secret values.
    public var errorSummary: String {
        guard kind == .error else { return "" }
        var text = errorName ?? "unknown error"
        if let detail = body.first?.text, !detail.isEmpty {
            let clean = String(detail.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) }.prefix(160))
            text += ": " + clean
        }
        return " (\(text))"
    }
}
