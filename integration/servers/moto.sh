#!/usr/bin/env bash
# Starts or stops moto_server (AWS SSM, Secrets Manager, KMS, STS) on 127.0.0.1 only.
#   moto.sh start [PORT]  → prints the endpoint URL once it answers (state dir: $MOTO_STATE_DIR or /tmp/cloak-moto-<uid>)
#   moto.sh stop          → stops the server this script started (by its recorded PID)
#   moto.sh reset         → forgets every resource
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
state="${MOTO_STATE_DIR:-${TMPDIR:-/tmp}/cloak-moto-$(id -u)}"
case "${1:-}" in
start)
    port="${2:-${MOTO_PORT:-5055}}"
    daemon_reuse "$state" && exit 0
    bin="$(venv_tool moto_server)"
    daemon_launch "$state" "$bin" -H 127.0.0.1 -p "$port"
    echo "http://127.0.0.1:$port" >"$state/url"
    daemon_wait "$state" moto_server curl -fsS "http://127.0.0.1:$port/moto-api/"
    cat "$state/url"
    ;;
stop) daemon_stop "$state" ;;
reset) curl -fsS -X POST "$(cat "$state/url")/moto-api/reset" >/dev/null ;;
*)
    echo "usage: $0 start [PORT] | stop | reset" >&2
    exit 2
    ;;
esac
