public import Core
import Synchronization

/// `getMany` for stores without a batch API: the first read runs alone (it logs in, learns an Azure challenge or
/// fills a token cache), the rest run `width` at a time on dedicated threads. Results keep the asked order.
public enum ParallelGets {
    /// Reads every coordinate with `get`.
    public static func run(
        _ coordinates: [SecretCoordinate], width: Int = 4,
        get: @escaping @Sendable (SecretCoordinate) throws(CloakError) -> SecretValue
    ) -> [Result<SecretValue, CloakError>] {
        @Sendable func one(_ c: SecretCoordinate) -> Result<SecretValue, CloakError> {
            do throws(CloakError) { return .success(try get(c)) } catch { return .failure(error) }
        }
        guard let first = coordinates.first else { return [] }
        let head = one(first)
        if coordinates.count == 1 { return [head] }
        // A login or credential failure would repeat for every read: report it once per coordinate, fast.
        if case .failure(let e) = head, e.code == .config {
            return coordinates.map { _ in .failure(e) }
        }
        let results = Slots(count: coordinates.count)
        results.put(0, head)
        let rest = Array(coordinates.dropFirst())
        BlockingThreads.forEach(count: rest.count, width: width) { i in results.put(i + 1, one(rest[i])) }
        return results.all()
    }

    private final class Slots: Sendable {
        private let slots: Mutex<[Result<SecretValue, CloakError>?]>
        init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
        func put(_ i: Int, _ r: Result<SecretValue, CloakError>) { slots.withLock { $0[i] = r } }
        func all() -> [Result<SecretValue, CloakError>] {
            slots.withLock { s in s.map { $0 ?? .failure(CloakError(.internal, "a parallel read produced no result")) }
            }
        }
    }
}
