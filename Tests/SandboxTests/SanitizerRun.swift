#if canImport(Glibc)
    import Glibc
#endif

/// Which sanitizer the tests run under (scripts/reliability sets CLOAK_SANITIZER to `address` or `thread`).
/// Some kernel-level behaviour cannot be observed through a sanitizer's runtime, and the tests that check it say so.
enum SanitizerRun {
    static let name: String? = getenv("CLOAK_SANITIZER").map { String(cString: $0) }
    /// The sanitizer runtimes replace mlock and mlockall with no-ops that report success.
    static var mlockIsFaked: Bool { name != nil }
    /// ThreadSanitizer starts a background thread, and unshare(CLONE_NEWUSER) fails with EINVAL in any process
    /// with more than one thread.
    static var processIsMultithreaded: Bool { name == "thread" }
}
