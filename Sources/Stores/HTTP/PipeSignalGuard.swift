import Glibc

/// Blocks SIGPIPE on the calling thread while libcurl runs, then swallows any it raised. With CURLOPT_NOSIGNAL set,
/// libcurl leaves SIGPIPE to the application (its documentation says so), and a write on a keep-alive connection the
/// server has closed must become an error to retry, not the death of cloak (exit 141) in the middle of a run.
struct PipeSignalGuard {
    private var previous = sigset_t()
    private var pipeSignal = sigset_t()

    init() {
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
    }

    /// Consumes a SIGPIPE raised while blocked (unless it was already blocked before) and restores the mask.
    mutating func end() {
        var pending = sigset_t()
        if sigismember(&previous, SIGPIPE) == 0, sigpending(&pending) == 0, sigismember(&pending, SIGPIPE) == 1 {
            var noWait = timespec()
            _ = sigtimedwait(&pipeSignal, nil, &noWait)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
