import CCurl
import Glibc

/// One process-wide libcurl share handle: DNS cache, TLS sessions and the connection pool are shared by every
/// easy handle, guarded by one pthread mutex per shared data kind.
final class CurlShare: @unchecked Sendable {
    /// The share handle (`CURLSH *`).
    let handle: UnsafeMutableRawPointer?
    private let mutexes: UnsafeMutablePointer<pthread_mutex_t>
    private static let slots = 16

    /// The shared instance (created on first use, after `curl_global_init`).
    static let shared = CurlShare()

    private init() {
        mutexes = .allocate(capacity: CurlShare.slots)
        for i in 0..<CurlShare.slots { pthread_mutex_init(mutexes + i, nil) }
        handle = ccurl_share_init()
        guard let handle else { return }
        let ctx = UnsafeMutableRawPointer(mutexes)
        _ = ccurl_share_setopt_ptr(handle, CURLSHOPT_USERDATA, ctx)
        _ = ccurl_share_setopt_lock_fn(handle) { _, data, _, user in
            guard let user else { return }
            let m = user.assumingMemoryBound(to: pthread_mutex_t.self)
            pthread_mutex_lock(m + Int(data.rawValue % 16))
        }
        _ = ccurl_share_setopt_unlock_fn(handle) { _, data, user in
            guard let user else { return }
            let m = user.assumingMemoryBound(to: pthread_mutex_t.self)
            pthread_mutex_unlock(m + Int(data.rawValue % 16))
        }
        _ = ccurl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        _ = ccurl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        _ = ccurl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_CONNECT.rawValue))
    }
}

/// Loads libcurl (dlopen) and runs `curl_global_init`, exactly once.
enum CurlGlobal {
    /// Why libcurl is unusable, or nil when it is ready.
    static var loadError: String? { ccurl_load().map { String(cString: $0) } }
}
