#!/usr/bin/env bash
# Starts or stops moto_server (AWS SSM, Secrets Manager, KMS, STS) on 127.0.0.1 only.
#   moto.sh start [PORT]  → prints the endpoint URL once it answers (state dir: $MOTO_STATE_DIR or /tmp/cloak-moto)
#   moto.sh stop          → stops the server this script started (by its recorded PID)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
state="${MOTO_STATE_DIR:-${TMPDIR:-/tmp}/cloak-moto-$(id -u)}"
mkdir -p "$state"
moto_bin() {
    if [ -x "$ROOT/.venv-test/bin/moto_server" ]; then echo "$ROOT/.venv-test/bin/moto_server"; return; fi
    command -v moto_server || { echo "moto_server not found (run scripts/install-test-deps)" >&2; return 1; }
}
case "${1:-}" in
start)
    port="${2:-${MOTO_PORT:-5055}}"
    if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
        cat "$state/url"; exit 0
    fi
    bin="$(moto_bin)"
    "$bin" -H 127.0.0.1 -p "$port" >"$state/log" 2>&1 &
    echo $! >"$state/pid"
    echo "http://127.0.0.1:$port" >"$state/url"
    for _ in $(seq 1 100); do
        if curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; then cat "$state/url"; exit 0; fi
        sleep 0.1
    done
    echo "moto_server did not start (see $state/log)" >&2
    exit 1
    ;;
stop)
    if [ -f "$state/pid" ]; then
        pid="$(cat "$state/pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$state/pid" "$state/url"
    fi
    ;;
reset)
    curl -fsS -X POST "$(cat "$state/url")/moto-api/reset" >/dev/null
    ;;
*)
    echo "usage: $0 start [PORT] | stop | reset" >&2
    exit 2
    ;;
esac
