#if canImport(Glibc)
    import Glibc
#endif

/// Runs a body on a fresh pthread and joins it. The spawn uses this so that per-thread state the pre-launch hook
/// sets (no_new_privs, a seccomp filter without TSYNC) reaches the child but never cloak's other threads.
enum DedicatedThread {
    private final class Body: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new thread and waits for it to end. Returns an errno value when the thread could not
    /// be created (the body did not run), 0 otherwise.
    static func run(_ body: @escaping () -> Void) -> Int32 {
        let box = Unmanaged.passRetained(Body(body))
        var thread = pthread_t()
        let rc = pthread_create(
            &thread,
            nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            },
            box.toOpaque()
        )
        if rc != 0 {
            box.release()
            return rc
        }
        pthread_join(thread, nil)
        return 0
    }
}
