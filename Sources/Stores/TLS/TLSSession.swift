import CTLS
import Glibc
public import Core

/// A TLS client session (libssl, loaded on first use) over a connected non-blocking socket: the handshake and each
/// read and write run until a deadline, polling the socket for what OpenSSL waits on.
final class TLSSession {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let fd: Int32
    private let peer: String

    /// Shakes hands with the server on `fd`, verifying its certificate chain (system CAs plus `caFile`) and that it
    /// names `host`.
    init(fd: Int32, host: String, caFile: String?, peer: String, until deadline: Deadline) throws(CloakError) {
        if let message = ctls_load() { throw CloakError(.config, String(cString: message)) }
        var failure: UnsafePointer<CChar>?
        guard let ctx = ctls_client_context(caFile, &failure) else {
            throw CloakError(.config, "TLS to \(peer): \(failure.map { String(cString: $0) } ?? "cannot create a context")")
        }
        let isIP = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        guard let session = ctls_session(ctx, fd, host, isIP ? 1 : 0) else {
            ctls_context_free(ctx)
            throw CloakError(.backend, "TLS to \(peer): cannot start a session")
        }
        context = ctx
        ssl = session
        self.fd = fd
        self.peer = peer
        try step(until: deadline, what: "handshake") { ctls_connect(session) }
    }

    deinit {
        ctls_shutdown(ssl)
        ctls_session_free(ssl)
        ctls_context_free(context)
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer, until deadline: Deadline) throws(CloakError) {
        var sent = 0
        while sent < bytes.count {
            let chunk = Int32(min(bytes.count - sent, 1 << 20))
            let start = bytes.baseAddress! + sent
            sent += Int(try step(until: deadline, what: "write") { ctls_write(ssl, start, chunk) })
        }
    }

    /// Reads what is available (at least one byte); 0 when the server closed the session.
    func read(into buffer: UnsafeMutableRawBufferPointer, until deadline: Deadline) throws(CloakError) -> Int {
        let count = Int32(min(buffer.count, Int(Int32.max)))
        return Int(try step(until: deadline, what: "read", closedIsZero: true) { ctls_read(ssl, buffer.baseAddress, count) })
    }

    /// Runs `call` until it succeeds, polling for what OpenSSL wants; its positive result, or 0 at a clean close.
    private func step(
        until deadline: Deadline, what: String, closedIsZero: Bool = false, _ call: () -> Int32
    ) throws(CloakError) -> Int32 {
        while true {
            let result = call()
            if result > 0 { return result }
            let code = ctls_get_error(ssl, result)
            switch code {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                let events = code == SSL_ERROR_WANT_READ ? Int16(POLLIN) : Int16(POLLOUT)
                guard SocketStream.wait(fd, for: events, until: deadline) else {
                    throw CloakError(.backend, "\(peer) did not complete the TLS \(what) within \(Deadline.format(deadline.seconds))")
                }
            case SSL_ERROR_ZERO_RETURN where closedIsZero:
                return 0
            default:
                throw failure(what)
            }
        }
    }

    private func failure(_ what: String) -> CloakError {
        let verify = ctls_verify_result(ssl)
        if verify != 0 {
            let reason = String(cString: ctls_verify_error_string(verify))
            return CloakError(
                .backend,
                "TLS to \(peer): the server's certificate was refused (\(reason)); set ca_bundle to the CA that signed it")
        }
        var text = [UInt8](repeating: 0, count: 256)
        text.withUnsafeMutableBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { ctls_last_error($0.baseAddress, $0.count) }
        }
        let detail = String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
        return CloakError(.backend, "TLS \(what) with \(peer) failed" + (detail.isEmpty ? "" : " (\(detail))"))
    }
}
