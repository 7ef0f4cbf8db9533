public import Core
import Synchronization

/// One cached access token with its expiry (seconds since the epoch; nil = until the process ends).
public final class BearerTokenCache: Sendable {
    private let slot = Mutex<(token: SecretBytes, expires: Int?)?>(nil)

    /// Creates an empty cache.
    public init() {}

    /// The cached token unless it expires within a minute; else `fetch()` (whose result is cached).
    public func token(now: Int, _ fetch: () throws(CloakError) -> (SecretBytes, Int?)) throws(CloakError) -> SecretBytes
    {
        if let hit = slot.withLock({ $0 }), hit.expires.map({ $0 - 60 > now }) ?? true { return hit.token }
        let (token, expires) = try fetch()
        slot.withLock { $0 = (token, expires) }
        return token
    }

    /// Forgets the token (after a 401).
    public func clear() { slot.withLock { $0 = nil } }
}

extension SecretBytes {
    /// `Bearer <token>` as a header value (the `String` lives only while the request is built).
    func bearerHeader() -> (name: String, value: String) {
        (name: "Authorization", value: "Bearer " + unsafeString())
    }
}
