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
        run(count: coordinates.count, width: width) { (i) throws(CloakError) -> SecretValue in try get(coordinates[i]) }
    }

    /// Reads every full key name with `read` (`!store` lookups, which name keys as the store spells them).
    public static func run(
        names: [String], width: Int = 4, read: @escaping @Sendable (String) throws(CloakError) -> SecretValue
    ) -> [Result<SecretValue, CloakError>] {
        run(count: names.count, width: width) { (i) throws(CloakError) -> SecretValue in try read(names[i]) }
    }

    private static func run(
        count: Int, width: Int, read: @escaping @Sendable (Int) throws(CloakError) -> SecretValue
    ) -> [Result<SecretValue, CloakError>] {
        @Sendable func one(_ i: Int) -> Result<SecretValue, CloakError> {
            do throws(CloakError) { return .success(try read(i)) } catch { return .failure(error) }
        }
        guard count > 0 else { return [] }
        let head = one(0)
        if count == 1 { return [head] }
        // A login or credential failure would repeat for every read: report it once per coordinate, fast.
        if case .failure(let e) = head, e.code == .config {
            return (0..<count).map { _ in .failure(e) }
        }
        let results = Slots(count: count)
        results.put(0, head)
        BlockingThreads.forEach(count: count - 1, width: width) { i in results.put(i + 1, one(i + 1)) }
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
