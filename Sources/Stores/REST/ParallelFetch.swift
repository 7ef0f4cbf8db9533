public import Core
import Synchronization

/// Reads for backends without a batch API, keyed by what identifies one remote read (a `ref+` document, a secret
/// version): each distinct key is fetched once; the first alone (it logs in, learns an Azure challenge or fills a
/// token cache the others reuse), the rest `width` at a time on dedicated threads.
public enum ParallelFetch {
    /// The result of `fetch` for every distinct key in `keys`.
    public static func distinct<Key: Hashable & Sendable, Value: Sendable>(
        _ keys: [Key], width: Int = 4, fetch: @escaping @Sendable (Key) -> Result<Value, CloakError>
    ) -> [Key: Result<Value, CloakError>] {
        var order: [Key] = []
        var seen = Set<Key>()
        for k in keys where seen.insert(k).inserted { order.append(k) }
        guard let first = order.first else { return [:] }
        let head = fetch(first)
        var out: [Key: Result<Value, CloakError>] = [first: head]
        if order.count == 1 { return out }
        // A credential failure would only repeat for every key: report it for all of them, at once.
        if case .failure(let e) = head, e.code == .config {
            for k in order.dropFirst() { out[k] = .failure(e) }
            return out
        }
        let rest = Array(order.dropFirst())
        let slots = ResultSlots<Value>(count: rest.count)
        BlockingThreads.forEach(count: rest.count, width: width) { i in slots.put(i, fetch(rest[i])) }
        for (i, r) in slots.all().enumerated() { out[rest[i]] = r }
        return out
    }

    private final class ResultSlots<Value: Sendable>: Sendable {
        private let slots: Mutex<[Result<Value, CloakError>?]>
        init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
        func put(_ i: Int, _ r: Result<Value, CloakError>) { slots.withLock { $0[i] = r } }
        func all() -> [Result<Value, CloakError>] {
            slots.withLock { s in s.map { $0 ?? .failure(CloakError(.internal, "a parallel read produced no result")) } }
        }
    }
}
