# Helpers for integration tests: each test runs the release binary and checks stdout, stderr and exit code.
# Sourced by integration/run; tests are functions named test_*.

CLOAK="${CLOAK:-$ROOT/.build/release/cloak}"
failures=0
status=0
out=""
err=""
passes=0

# run_cloak [cloak args...]: runs cloak, capturing $out, $err and $status.
run_cloak() {
    local o e
    o=$(mktemp) e=$(mktemp)
    set +e
    "$CLOAK" "$@" >"$o" 2>"$e"
    status=$?
    set -e
    out=$(cat "$o")
    err=$(cat "$e")
    rm -f "$o" "$e"
}

# Failures are recorded in a file, because a test function's own status cannot be trusted: `set -e` is ignored
# inside the `if` that runs it.
fail() {
    echo "failed" >>"$FAIL_MARK"
    echo "    FAIL: $*" >&2
    echo "      status=$status" >&2
    echo "      stdout: ${out:0:400}" >&2
    echo "      stderr: ${err:0:400}" >&2
    return 1
}

# wait_for_file PATH [SECONDS]: waits until PATH exists and is not empty (default 10 s).
wait_for_file() {
    local i
    for ((i = 0; i < ${2:-10} * 20; i++)); do [ -s "$1" ] && return 0; sleep 0.05; done
    return 1
}

expect_status() { [ "$status" -eq "$1" ] || fail "expected exit $1"; }
expect_out() { [ "$out" = "$1" ] || fail "stdout differs from: $1"; }
expect_out_contains() { [[ "$out" == *"$1"* ]] || fail "stdout lacks: $1"; }
expect_out_lacks() { [[ "$out" != *"$1"* ]] || fail "stdout contains: $1"; }
expect_err_contains() { [[ "$err" == *"$1"* ]] || fail "stderr lacks: $1"; }
expect_err_lines() { [ "$(printf '%s\n' "$err" | grep -c .)" -eq "$1" ] || fail "expected $1 stderr line(s)"; }
