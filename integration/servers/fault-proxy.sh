#!/usr/bin/env bash
# Starts or stops integration/fakes/fault_proxy.py on 127.0.0.1 (state per port under $TMPDIR).
#   fault-proxy.sh start UPSTREAM_URL PORT [aws|http] → prints the proxy URL (aws: AWS-shaped error bodies)
#   fault-proxy.sh stop PORT
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
case "${1:-}" in
start) port="${3:?usage: $0 start UPSTREAM_URL PORT [aws|http]}" ;;
stop) port="${2:?usage: $0 stop PORT}" ;;
*) echo "usage: $0 start UPSTREAM_URL PORT [aws|http] | stop PORT" >&2; exit 2 ;;
esac
state="${TMPDIR:-/tmp}/cloak-fault-proxy-$(id -u)-$port"
case "$1" in
start)
    if daemon_alive "$state"; then echo "http://127.0.0.1:$port"; exit 0; fi
    daemon_launch "$state" python3 "$ROOT/integration/fakes/fault_proxy.py" "$port" "$2" "${4:-http}"
    daemon_wait "$state" "fault proxy" curl -fsS "http://127.0.0.1:$port/__count"
    echo "http://127.0.0.1:$port"
    ;;
stop) daemon_stop "$state" ;;
esac
