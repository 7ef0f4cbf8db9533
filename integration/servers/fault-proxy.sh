#!/usr/bin/env bash
# Starts or stops the fault-injecting proxy (integration/fakes/aws_fault_proxy.py) on 127.0.0.1.
#   fault-proxy.sh start UPSTREAM_URL [PORT] → prints the proxy URL;  fault-proxy.sh stop
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
state="${MOTO_STATE_DIR:-${TMPDIR:-/tmp}/cloak-moto-$(id -u)}"
mkdir -p "$state"
case "${1:-}" in
start)
    upstream="$2"
    port="${3:-5056}"
    if [ -f "$state/proxy.pid" ] && kill -0 "$(cat "$state/proxy.pid")" 2>/dev/null; then
        cat "$state/proxy.url"; exit 0
    fi
    python3 "$ROOT/integration/fakes/aws_fault_proxy.py" "$port" "$upstream" >"$state/proxy.log" 2>&1 &
    echo $! >"$state/proxy.pid"
    echo "http://127.0.0.1:$port" >"$state/proxy.url"
    for _ in $(seq 1 50); do
        if curl -fsS "http://127.0.0.1:$port/__count" >/dev/null 2>&1; then cat "$state/proxy.url"; exit 0; fi
        sleep 0.1
    done
    echo "fault proxy did not start (see $state/proxy.log)" >&2
    exit 1
    ;;
stop)
    if [ -f "$state/proxy.pid" ]; then
        kill "$(cat "$state/proxy.pid")" 2>/dev/null || true
        rm -f "$state/proxy.pid" "$state/proxy.url"
    fi
    ;;
*)
    echo "usage: $0 start UPSTREAM_URL [PORT] | stop" >&2
    exit 2
    ;;
esac
