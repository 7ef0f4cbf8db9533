#!/usr/bin/env bash
# Starts or stops integration/fakes/http_fault_proxy.py on 127.0.0.1 (state per port under $TMPDIR).
#   http-fault-proxy.sh start UPSTREAM_URL PORT → prints the proxy URL;  http-fault-proxy.sh stop PORT
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
port="${3:-${2:-}}"
case "${1:-}" in
start) port="$3" ;;
stop) port="$2" ;;
*) echo "usage: $0 start UPSTREAM_URL PORT | stop PORT" >&2; exit 2 ;;
esac
state="${TMPDIR:-/tmp}/cloak-http-proxy-$(id -u)-$port"
mkdir -p "$state"
case "$1" in
start)
    if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then echo "http://127.0.0.1:$port"; exit 0; fi
    python3 "$ROOT/integration/fakes/http_fault_proxy.py" "$port" "$2" >"$state/log" 2>&1 &
    echo $! >"$state/pid"
    for _ in $(seq 1 50); do
        if curl -fsS "http://127.0.0.1:$port/__count" >/dev/null 2>&1; then echo "http://127.0.0.1:$port"; exit 0; fi
        sleep 0.1
    done
    echo "http fault proxy did not start (see $state/log)" >&2
    exit 1
    ;;
stop)
    if [ -f "$state/pid" ]; then kill "$(cat "$state/pid")" 2>/dev/null || true; rm -f "$state/pid"; fi
    ;;
esac
