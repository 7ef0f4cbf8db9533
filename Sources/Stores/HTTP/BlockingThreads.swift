public import Core

import Glibc
import Synchronization

/// Runs blocking work (libcurl transfers) on dedicated pthreads, never on Swift's cooperative pool.
public enum BlockingThreads {
    /// Calls `body(i)` for every `i` in `0..<count`, at most `width` at a time, on dedicated threads (the calling
    /// thread takes part). Returns when all calls have finished.
    public static func forEach(count: Int, width: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let next = Atomic<Int>(0)
        let worker: @Sendable () -> Void = {
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= count { return }
                body(i)
            }
        }
        let extra = min(max(width, 1), count) - 1
        var threads: [pthread_t] = []
        for _ in 0..<extra {
            if let t = spawn(worker) { threads.append(t) }
        }
        worker()
        for t in threads { pthread_join(t, nil) }
    }

    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread: pthread_t = 0
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let b = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            b.body()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        return thread
    }
}
