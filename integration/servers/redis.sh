#!/usr/bin/env bash
# Starts or stops a real redis-server (Debian package) on 127.0.0.1 only, without persistence:
#   redis.sh start [PORT]  → prints the port once it answers PING (state: $REDIS_STATE_DIR or /tmp/cloak-redis-<uid>)
#   redis.sh stop          → stops the server this script started (by its recorded PID)
# The default user's password is "test-pass"; the ACL user "ops" has the password "ops@pw"; the Unix socket is
# $state/redis.sock. With REDIS_TLS=1 it also serves TLS on PORT+1 with a CA it generates ($state/tls/ca.pem).
set -euo pipefail
source "$(dirname "$0")/daemon.sh"
state="${REDIS_STATE_DIR:-${TMPDIR:-/tmp}/cloak-redis-$(id -u)}"
case "${1:-}" in
start)
    port="${2:-${REDIS_PORT:-6391}}"
    daemon_reuse "$state" && exit 0
    command -v redis-server >/dev/null || { echo "redis-server not found (run scripts/install-test-deps)" >&2; exit 1; }
    mkdir -p "$state"
    cat >"$state/redis.conf" <<CONF
bind 127.0.0.1
port $port
unixsocket $state/redis.sock
unixsocketperm 700
save ""
appendonly no
daemonize no
dir $state
requirepass test-pass
user ops on >ops@pw ~* &* +@all
CONF
    if [ "${REDIS_TLS:-}" = 1 ]; then
        mkdir -p "$state/tls"
        (
            cd "$state/tls"
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=cloak redis test CA" \
                -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >ext.cnf
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
                -extfile ext.cnf 2>/dev/null
        )
        printf 'tls-port %s\ntls-cert-file %s\ntls-key-file %s\ntls-ca-cert-file %s\ntls-auth-clients no\n' \
            "$((port + 1))" "$state/tls/server.pem" "$state/tls/server.key" "$state/tls/ca.pem" >>"$state/redis.conf"
    fi
    daemon_launch "$state" redis-server "$state/redis.conf"
    echo "$port" >"$state/url"
    daemon_wait "$state" redis redis-cli -h 127.0.0.1 -p "$port" -a test-pass --no-auth-warning ping
    cat "$state/url"
    ;;
stop) daemon_stop "$state" ;;
*)
    echo "usage: $0 start [PORT] | stop" >&2
    exit 2
    ;;
esac
