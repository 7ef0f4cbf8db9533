#!/usr/bin/env bash
# Starts or stops one of the Python fakes in integration/fakes on 127.0.0.1 (state per name under $TMPDIR).
#   fake-server.sh start NAME READY_URL SCRIPT [ARGS...] → waits until READY_URL answers (any HTTP status)
#   fake-server.sh stop NAME
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
name="${2:-}"
state="${TMPDIR:-/tmp}/cloak-fake-$(id -u)-$name"
mkdir -p "$state"
case "${1:-}" in
start)
    ready="$3"; script="$4"; shift 4
    # A fake left from an earlier run may hold state the new run must not see.
    if daemon_alive "$state"; then daemon_stop "$state"; fi
    py=python3
    if [ -x "$ROOT/.venv-test/bin/python" ] && "$ROOT/.venv-test/bin/python" -c 'import cryptography' 2>/dev/null; then
        py="$ROOT/.venv-test/bin/python"
    fi
    daemon_launch "$state" "$py" "$ROOT/integration/fakes/$script" "$@"
    daemon_wait "$state" "$script" curl -sS -k -o /dev/null "$ready"
    ;;
stop) daemon_stop "$state" ;;
*)
    echo "usage: $0 start NAME READY_URL SCRIPT [ARGS...] | stop NAME" >&2
    exit 2
    ;;
esac
