public import Core
import Synchronization

/// `redis`: a non-secret store for `!store`/`!store.get` (Redis is refused as a secret store: it does not encrypt
/// values at rest). Keys are composed like the other stores' with `/` (prefix, stack split on `stack_delimiter`,
/// component, key); values are JSON-decoded, falling back to the raw string, as upstream writes and reads them.
/// All keys of a command are read with `MGET` on one connection, opened on first use.
public final class RedisStore: StoreKeyReader, Sendable {
    /// The options.
    public let options: RedisStoreOptions
    private let connection = Mutex<RedisConnection?>(nil)

    /// Keys per `MGET`.
    static let batch = 500

    /// Creates the store; nothing is connected until a read.
    public init(options: RedisStoreOptions) {
        self.options = options
    }

    public func keyName(_ coordinate: SecretCoordinate) -> String {
        KeyComposition.compose(prefix: options.prefix, coordinate: coordinate, stackDelimiter: options.stackDelimiter, joiner: "/")
    }

    /// Upstream: `prefix:key` (a colon, unlike composed keys), or the key alone.
    public func rawKeyName(_ key: String) -> String { options.prefix.isEmpty ? key : options.prefix + ":" + key }

    public func readKeys(_ names: [String]) -> [Result<SecretValue, CloakError>] {
        var out: [Result<SecretValue, CloakError>] = []
        out.reserveCapacity(names.count)
        var start = 0
        while start < names.count {
            let chunk = Array(names[start..<min(start + Self.batch, names.count)])
            start += chunk.count
            do throws(CloakError) {
                out += try mget(chunk)
            } catch {
                out += chunk.map { _ in .failure(error) }
            }
        }
        return out
    }

    private func mget(_ names: [String]) throws(CloakError) -> [Result<SecretValue, CloakError>] {
        let store = options.name
        return try connection.withLock { (slot) throws(CloakError) -> [Result<SecretValue, CloakError>] in
            if slot == nil { slot = try RedisConnection(url: options.url, timeout: options.timeout, caFile: options.caBundle) }
            guard let c = slot else { return [] }
            let answer: RESPReply
            do throws(CloakError) {
                answer = try c.command([.text("MGET")] + names.map { .text($0) }, what: "MGET")
            } catch {
                // The connection's state is unknown after a failure: the next read opens a new one.
                slot = nil
                throw error
            }
            switch answer {
            case .array(let items?) where items.count == names.count:
                return zip(names, items).map { (name, item) -> Result<SecretValue, CloakError> in
                    guard case .bulk(let value?) = item else {
                        return .failure(CloakError(.notInitialized, "key \"\(name)\" not found in redis store \"\(store)\""))
                    }
                    return .success(JSONValueEncoding.decode(value))
                }
            case .error(let e):
                throw CloakError(.backend, "redis: \(c.shown) refused MGET (\(RedisConnection.oneLine(e)))")
            default:
                throw CloakError(.backend, "redis: \(c.shown) answered MGET with an unexpected reply")
            }
        }
    }
}
