#!/usr/bin/env bash
# Starts or stops one of the Python fakes in integration/fakes on 127.0.0.1 (state per name under $TMPDIR).
#   fake-server.sh start NAME READY_URL SCRIPT [ARGS...] → waits until READY_URL answers (any HTTP status)
#   fake-server.sh stop NAME
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
name="${2:-}"
state="${TMPDIR:-/tmp}/cloak-fake-$(id -u)-$name"
mkdir -p "$state"
case "${1:-}" in
start)
    ready="$3"; script="$4"; shift 4
    if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
        kill "$(cat "$state/pid")" 2>/dev/null || true
        sleep 0.2
    fi
    py=python3
    if [ -x "$ROOT/.venv-test/bin/python" ] && "$ROOT/.venv-test/bin/python" -c 'import cryptography' 2>/dev/null; then
        py="$ROOT/.venv-test/bin/python"
    fi
    "$py" "$ROOT/integration/fakes/$script" "$@" >"$state/log" 2>&1 &
    echo $! >"$state/pid"
    for _ in $(seq 1 100); do
        if curl -sS -k -o /dev/null "$ready" 2>/dev/null; then exit 0; fi
        sleep 0.1
    done
    echo "$script did not start (see $state/log)" >&2
    exit 1
    ;;
stop)
    if [ -f "$state/pid" ]; then kill "$(cat "$state/pid")" 2>/dev/null || true; rm -f "$state/pid"; fi
    ;;
*)
    echo "usage: $0 start NAME READY_URL SCRIPT [ARGS...] | stop NAME" >&2
    exit 2
    ;;
esac
