# The generic HTTP fault matrix for a REST store behind integration/fakes/fault_proxy.py (no test_ functions
# here: the store's own test file starts the proxy, points the store at it and calls these).

# start_fault_proxy UPSTREAM_URL PORT: a fresh proxy (no state left from an earlier run); prints its URL.
start_fault_proxy() {
    "$ROOT/integration/servers/fault-proxy.sh" stop "$2" >/dev/null 2>&1 || true
    "$ROOT/integration/servers/fault-proxy.sh" start "$1" "$2"
}
stop_fault_proxy() { "$ROOT/integration/servers/fault-proxy.sh" stop "$1" >/dev/null 2>&1 || true; }

fault_mode() { curl -fsS -X POST "$1/__reset" >/dev/null && curl -fsS -X POST --data "$2" "$1/__fault" >/dev/null; }
fault_count() { curl -fsS "$1/__count"; }

# A cloak that cannot hang the suite: any run past 60 s is killed (exit 124, which no expectation accepts).
bounded_cloak() {
    printf '#!/bin/sh\nexec timeout 60 "%s" "$@"\n' "$CLOAK" >"$PWD/bounded-cloak"
    chmod +x "$PWD/bounded-cloak"
    echo "$PWD/bounded-cloak"
}

# http_fault_matrix PROXY_URL KEY VALUE COUNT_AFTER_TWO_429 -- ARGS…: `cloak get KEY ARGS…` must return VALUE once
# two throttled answers are retried (the proxy then counts COUNT_AFTER_TWO_429 requests), and fail in one line,
# without echoing the injected body, on persistent 429, 500, reset connections, malformed JSON and a 50 MB body.
http_fault_matrix() {
    local proxy=$1 key=$2 value=$3 count=$4
    shift 5
    local bounded; bounded=$(bounded_cloak)
    local CLOAK=$bounded
    fault_mode "$proxy" "429-first:2"
    run_cloak get "$key" "$@" --mask=false
    expect_status 0
    expect_out "$value"
    [ "$(fault_count "$proxy")" = "$count" ] || fail "expected $count requests, the proxy saw $(fault_count "$proxy")"
    fault_mode "$proxy" 429
    run_cloak get "$key" "$@"
    expect_status 1
    expect_err_contains "throttled (HTTP 429) after 3 attempts"
    expect_err_lines 1
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    fault_mode "$proxy" 500
    run_cloak get "$key" "$@"
    expect_status 1
    expect_err_contains "server error (HTTP 500) after 3 attempts"
    expect_err_lines 1
    fault_mode "$proxy" reset
    run_cloak get "$key" "$@"
    expect_status 1
    expect_err_contains "connection was reset after 3 attempts"
    expect_err_lines 1
    fault_mode "$proxy" malformed
    run_cloak get "$key" "$@"
    expect_status 1
    expect_err_contains "not valid JSON"
    expect_err_lines 1
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    fault_mode "$proxy" "huge:50"
    run_cloak get "$key" "$@"
    expect_status 1
    expect_err_contains "response is larger than 10 MB"
    expect_err_lines 1
}

# http_fault_timeout PROXY_URL KEY -- ARGS…: with the store's timeout at 1 s and max_attempts 2 (the caller edits
# atmos.yaml), a proxy that stalls 5 s per answer gives a one-line timeout error; then `cloak exec` against a
# failing store must not start the command.
http_fault_timeout() {
    local proxy=$1 key=$2
    shift 3
    local bounded; bounded=$(bounded_cloak)
    local CLOAK=$bounded
    fault_mode "$proxy" "delay:5"
    run_cloak get "$key" "$@"
    expect_status 1
    expect_err_contains "request timed out after 2 attempts"
    expect_err_lines 1
    fault_mode "$proxy" 500
    rm -f child-ran
    run_cloak exec "$@" -- sh -c 'touch child-ran'
    expect_status 1
    [ ! -e child-ran ] || fail "the child ran although a secret could not be fetched"
    fault_mode "$proxy" none
}
