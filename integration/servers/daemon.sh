# Sourced by the server scripts in this directory: start, wait for and stop one background server whose PID is
# recorded in STATE/pid. Only the recorded PID is ever signalled.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# venv_tool NAME: the test venv's NAME, else NAME from PATH.
venv_tool() {
    if [ -x "$ROOT/.venv-test/bin/$1" ]; then echo "$ROOT/.venv-test/bin/$1"; return; fi
    command -v "$1" || { echo "$1 not found (run scripts/install-test-deps)" >&2; return 1; }
}

# daemon_alive STATE: whether the server recorded in STATE still runs.
daemon_alive() { [ -f "$1/pid" ] && kill -0 "$(cat "$1/pid")" 2>/dev/null; }

# daemon_reuse STATE: prints the recorded URL and succeeds when the recorded server still runs.
daemon_reuse() { daemon_alive "$1" && cat "$1/url"; }

# daemon_launch STATE COMMAND…: runs COMMAND in the background, output to STATE/log, PID to STATE/pid.
daemon_launch() {
    local state=$1
    shift
    mkdir -p "$state"
    "$@" >"$state/log" 2>&1 &
    echo $! >"$state/pid"
}

# daemon_wait STATE NAME CHECK…: polls CHECK for up to 10 s; on failure says where the log is.
daemon_wait() {
    local state=$1 name=$2
    shift 2
    for _ in $(seq 1 100); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        daemon_alive "$state" || break
        sleep 0.1
    done
    echo "$name did not start (see $state/log)" >&2
    return 1
}

# daemon_stop STATE: stops the recorded server (waits up to 5 s) and forgets it.
daemon_stop() {
    local state=$1
    if [ -f "$state/pid" ]; then
        local pid; pid="$(cat "$state/pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$state/pid" "$state/url"
    fi
}
