import Core
import Glibc
import Synchronization
import Testing

@testable import Stores

@Suite struct ParallelFetchTests {
    /// Counts calls per key and the most calls in flight at once.
    final class Probe: Sendable {
        let calls = Mutex<[String: Int]>([:])
        let inFlight = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        /// Rest keys that have started; each waits (bounded) until `gate` of them are in flight together.
        let started = Atomic<Int>(0)

        func enter(_ key: String) {
            calls.withLock { $0[key, default: 0] += 1 }
            let now = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
            _ = peak.max(now, ordering: .sequentiallyConsistent)
        }
        func leave() { inFlight.subtract(1, ordering: .sequentiallyConsistent) }
    }

    @Test func eachDistinctKeyIsFetchedOnceAndResultsAreByKey() {
        let probe = Probe()
        let keys = ["a", "b", "a", "c", "b", "a"]
        let out = ParallelFetch.distinct(keys) { (k) -> Result<String, CloakError> in
            probe.enter(k)
            defer { probe.leave() }
            return .success("value-" + k)
        }
        #expect(out.count == 3)
        #expect((try? out["a"]?.get()) == "value-a")
        #expect((try? out["c"]?.get()) == "value-c")
        #expect(probe.calls.withLock { $0 } == ["a": 1, "b": 1, "c": 1])
    }

    @Test func theRestRunConcurrentlyAfterTheFirst() {
        let probe = Probe()
        let keys = ["login", "k1", "k2", "k3"]
        let out = ParallelFetch.distinct(keys, width: 4) { (k) -> Result<Int, CloakError> in
            probe.enter(k)
            defer { probe.leave() }
            if k == "login" {
                // The first runs alone: nothing else may be in flight.
                return .success(probe.inFlight.load(ordering: .sequentiallyConsistent))
            }
            // Each of the rest waits (up to 5 s) until all three are in flight: sequential reads never get there.
            probe.started.add(1, ordering: .sequentiallyConsistent)
            for _ in 0..<500 where probe.started.load(ordering: .sequentiallyConsistent) < 3 { usleep(10_000) }
            return .success(probe.started.load(ordering: .sequentiallyConsistent))
        }
        #expect((try? out["login"]?.get()) == 1)
        #expect(probe.peak.load(ordering: .sequentiallyConsistent) == 3)
        for k in ["k1", "k2", "k3"] { #expect((try? out[k]?.get()) == 3) }
    }

    @Test func aCredentialFailureOfTheFirstIsReportedForAllWithoutMoreCalls() {
        let probe = Probe()
        let out = ParallelFetch.distinct(["x", "y", "z"]) { (k) -> Result<String, CloakError> in
            probe.enter(k)
            defer { probe.leave() }
            return .failure(CloakError(.config, "no credentials"))
        }
        #expect(probe.calls.withLock { $0 } == ["x": 1])
        for k in ["x", "y", "z"] {
            guard case .failure(let e)? = out[k] else { Issue.record("\(k) did not fail"); continue }
            #expect(e.message.contains("no credentials"))
        }
    }

    @Test func otherFailuresStayPerKey() {
        let out = ParallelFetch.distinct(["ok", "gone", "ok2"]) { (k) -> Result<String, CloakError> in
            k == "gone" ? .failure(CloakError(.notFound, "no secret \(k)")) : .success(k)
        }
        #expect((try? out["ok"]?.get()) == "ok")
        #expect((try? out["ok2"]?.get()) == "ok2")
        if case .failure(let e)? = out["gone"] { #expect(e.code == .notFound) } else { Issue.record("gone did not fail") }
    }
}
