import CCurl
import Core
import Glibc
import Synchronization

/// HTTP over libcurl: pooled easy handles (connection reuse) on one shared DNS/TLS/connection cache, the system CA
/// bundle or `caBundle`, proxy variables honoured (libcurl's default), a response-size cap, and bodies collected
/// straight into guarded memory. `perform` blocks; callers run it on dedicated threads.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    /// Transport settings.
    public struct Options: Sendable, Hashable {
        /// A PEM file of CA certificates to trust instead of the system bundle.
        public var caBundle: String?
        /// Responses larger than this abort the transfer.
        public var maxResponseBytes: Int
        /// Skips TLS peer and host verification (`VAULT_SKIP_VERIFY`): for test servers only.
        public var skipVerify: Bool

        /// Creates settings (10 MB default cap).
        public init(caBundle: String? = nil, maxResponseBytes: Int = 10 * 1024 * 1024, skipVerify: Bool = false) {
            self.caBundle = caBundle
            self.maxResponseBytes = maxResponseBytes
            self.skipVerify = skipVerify
        }
    }

    /// The options this transport uses.
    public let options: Options
    private let pool = Mutex<[EasyHandle]>([])
    private static let poolLimit = 16
    private static let instances = Mutex<[Options: CurlTransport]>([:])

    /// Creates a transport.
    public init(options: Options = Options()) {
        // libcurl is loaded by the first request, not here: stores are built for every run that names them.
        self.options = options
    }

    /// One transport per distinct option set, so handles and their connections are reused across stores.
    public static func shared(_ options: Options = Options()) -> CurlTransport {
        instances.withLock { map in
            if let hit = map[options] { return hit }
            let t = CurlTransport(options: options)
            map[options] = t
            return t
        }
    }

    public func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        let easy = checkout()
        defer { checkin(easy) }
        guard let h = easy.handle else {
            return .failure(CurlGlobal.loadError.map { .unavailable($0) } ?? .other(code: -1))
        }
        ccurl_easy_reset(h)
        let sink = TransferSink(limit: options.maxResponseBytes)
        let retained = Unmanaged.passRetained(sink)
        defer { retained.release() }
        let ctx = retained.toOpaque()

        var list: UnsafeMutablePointer<curl_slist>? = nil
        for header in request.headers { list = ccurl_slist_append(list, "\(header.name): \(header.value)") }
        // No `Expect: 100-continue` round trip for larger bodies; no compressed bodies (simpler size accounting).
        list = ccurl_slist_append(list, "Expect:")
        defer { ccurl_slist_free_all(list) }

        _ = request.url.withCString { ccurl_setopt_ptr(h, CURLOPT_URL, $0) }
        _ = "http,https".withCString { ccurl_setopt_ptr(h, CURLOPT_PROTOCOLS_STR, $0) }
        _ = ccurl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(request.timeouts.connect * 1000)))
        _ = ccurl_setopt_long(h, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeouts.total * 1000)))
        _ = ccurl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        _ = ccurl_setopt_ptr(h, CURLOPT_SHARE, CurlShare.shared.handle)
        _ = ccurl_setopt_ptr(h, CURLOPT_HTTPHEADER, list)
        _ = ccurl_setopt_off(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxResponseBytes))
        _ = "cloak".withCString { ccurl_setopt_ptr(h, CURLOPT_USERAGENT, $0) }
        if let ca = options.caBundle { _ = ca.withCString { ccurl_setopt_ptr(h, CURLOPT_CAINFO, $0) } }
        if options.skipVerify {
            _ = ccurl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            _ = ccurl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        _ = ccurl_setopt_write_fn(h) { data, size, count, user in
            guard let user else { return 0 }
            let sink = Unmanaged<TransferSink>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            if sink.body.count + n > sink.limit {
                sink.overflow = true
                return 0  // aborts the transfer with CURLE_WRITE_ERROR
            }
            sink.body.append(UnsafeRawBufferPointer(start: data, count: n))
            return n
        }
        _ = ccurl_setopt_ptr(h, CURLOPT_WRITEDATA, ctx)
        _ = ccurl_setopt_header_fn(h) { data, size, count, user in
            let n = size * count
            guard let user, let data else { return n }
            let sink = Unmanaged<TransferSink>.fromOpaque(user).takeUnretainedValue()
            sink.headerLine(UnsafeRawBufferPointer(start: data, count: n))
            return n
        }
        _ = ccurl_setopt_ptr(h, CURLOPT_HEADERDATA, ctx)

        let method = request.method.uppercased()
        var pipeGuard = PipeSignalGuard()
        defer { pipeGuard.end() }
        let rc: CURLcode
        if let body = request.body {
            rc = body.withUnsafeBytes { buf in
                _ = ccurl_setopt_long(h, CURLOPT_POST, 1)
                _ = ccurl_setopt_ptr(h, CURLOPT_POSTFIELDS, buf.baseAddress.map { UnsafeRawPointer($0) } ?? CurlTransport.empty)
                _ = ccurl_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(buf.count))
                if method != "POST" { _ = method.withCString { ccurl_setopt_ptr(h, CURLOPT_CUSTOMREQUEST, $0) } }
                return ccurl_easy_perform(h)
            }
        } else if method == "GET" {
            _ = ccurl_setopt_long(h, CURLOPT_HTTPGET, 1)
            rc = ccurl_easy_perform(h)
        } else if method == "HEAD" {
            _ = ccurl_setopt_long(h, CURLOPT_NOBODY, 1)
            rc = ccurl_easy_perform(h)
        } else {
            _ = ccurl_setopt_long(h, CURLOPT_POST, 1)
            _ = ccurl_setopt_ptr(h, CURLOPT_POSTFIELDS, CurlTransport.empty)
            _ = ccurl_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, 0)
            if method != "POST" { _ = method.withCString { ccurl_setopt_ptr(h, CURLOPT_CUSTOMREQUEST, $0) } }
            rc = ccurl_easy_perform(h)
        }
        // Drop what curl_easy_reset would not: the pointers into this call's buffers.
        _ = ccurl_setopt_ptr(h, CURLOPT_HTTPHEADER, nil)
        _ = ccurl_setopt_ptr(h, CURLOPT_POSTFIELDS, nil)

        guard rc == CURLE_OK else {
            sink.body.reset()
            return .failure(CurlTransport.failure(rc, overflow: sink.overflow, limit: options.maxResponseBytes))
        }
        var status = 0
        _ = ccurl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body))
    }

    /// A valid pointer for an empty body (libcurl wants non-NULL POSTFIELDS).
    private static var empty: UnsafeRawPointer { UnsafeRawPointer(("" as StaticString).utf8Start) }

    static func failure(_ rc: CURLcode, overflow: Bool, limit: Int) -> TransportFailure {
        if overflow || rc == CURLE_FILESIZE_EXCEEDED { return .tooLarge(limit: limit) }
        switch rc {
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .connect
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            return .reset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tls
        default: return .other(code: Int(rc.rawValue))
        }
    }

    private func checkout() -> EasyHandle {
        if let h = pool.withLock({ $0.popLast() }) { return h }
        return EasyHandle()
    }

    private func checkin(_ h: EasyHandle) {
        pool.withLock { handles in
            if handles.count < CurlTransport.poolLimit { handles.append(h) }
        }
    }
}

/// One `CURL *`, cleaned up when dropped from the pool.
final class EasyHandle: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer?
    init() { handle = ccurl_easy_init() }
    deinit { if let handle { ccurl_easy_cleanup(handle) } }
}

/// Per-transfer state the C callbacks write into.
final class TransferSink {
    let body = SecureBuffer(capacity: 16 * 1024)
    let limit: Int
    var overflow = false
    var headers: [String: String] = [:]

    init(limit: Int) { self.limit = limit }

    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        var line = String(decoding: bytes, as: UTF8.self)
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after 100-continue or a proxy CONNECT)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        var value = Substring(line[line.index(after: colon)...])
        while value.first == " " || value.first == "\t" { value.removeFirst() }
        while value.last == " " || value.last == "\t" { value.removeLast() }
        headers[name] = String(value)
    }
}
