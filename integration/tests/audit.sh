# The value-free audit trail (CLOAK_AUDIT_LOG / settings.secrets.audit_log): one JSON line per start, one per
# supervised end; names, sources and keyed fingerprints, never a value or an argument.

test_audit_trail_records_starts_and_ends_without_values() {
    runners
    export CLOAK_AUDIT_LOG="$PWD/audit/cloak.jsonl" CLOAK_AUDIT_KEY_FILE="$PWD/keys/audit.key"
    # exec in place: a start record only (cloak is replaced by the child).
    run_cloak exec -s dev -c app -- sh -c 'exit 0' runner-db-pw-42-in-argv
    expect_status 0
    # Supervised (a kill timeout keeps cloak resident): start and end, with the child's status.
    run_cloak exec -s dev -c app --kill-timeout 5s -- sh -c 'exit 7'
    expect_status 7
    [ "$(stat -c %a audit/cloak.jsonl)" = 600 ] || fail "the log is not mode 0600"
    [ "$(stat -c %a keys/audit.key)" = 600 ] || fail "the key is not mode 0600"
    [ "$(stat -c %s keys/audit.key)" = 32 ] || fail "the key is not 32 bytes"
    ! grep -q 'runner-db-pw-42' audit/cloak.jsonl || fail "a secret value (or an argument holding it) reached the log"
    python3 - audit/cloak.jsonl <<'PY' || fail "the records are not as expected"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l["event"] for l in lines] == ["start", "start", "end"], lines
a, b, end = lines
assert a["strategy"] == "exec" and b["strategy"] == "supervise", (a["strategy"], b["strategy"])
assert a["stack"] == "dev" and a["component"] == "app" and a["command"] == "sh" and a["argc"] == 4, a
names = sorted(s["name"] for s in a["secrets"])
assert names == ["DB_PASSWORD", "DB_PASSWORD_FILE", "DB_URL"], names
fp = {s["name"]: s["fingerprint"] for s in a["secrets"]}
# One value, one fingerprint; stable across runs under the same key.
assert fp["DB_PASSWORD"] == fp["DB_URL"] == fp["DB_PASSWORD_FILE"], fp
assert fp == {s["name"]: s["fingerprint"] for s in b["secrets"]}
assert fp["DB_PASSWORD"].startswith("hmac-sha256:") and len(fp["DB_PASSWORD"]) == len("hmac-sha256:") + 16
assert [s for s in a["secrets"] if s["name"] == "DB_PASSWORD_FILE"][0]["file"] is True
assert end["run"] == b["run"] != a["run"] and end["exit"] == 7 and end["duration_ms"] >= 0, end
PY
    # A command that cannot start: its start record is closed with cloak's status 127.
    run_cloak exec -s dev -c app -- no-such-command-here
    expect_status 127
    tail -n 1 audit/cloak.jsonl | grep -q '"event":"end".*"exit":127,"started":false' || fail "no end record for a failed start"
    # A different key gives different fingerprints (the log alone cannot confirm a guessed value).
    CLOAK_AUDIT_KEY_FILE="$PWD/keys/other.key" run_cloak exec -s dev -c app -- true
    expect_status 0
    python3 -c '
import json, sys
l = [json.loads(x) for x in open(sys.argv[1])]
assert l[0]["secrets"][0]["fingerprint"] != l[-1]["secrets"][0]["fingerprint"]' audit/cloak.jsonl \
        || fail "another key gave the same fingerprint"
    # A log that cannot be written stops the run before anything starts.
    CLOAK_AUDIT_LOG=/proc/cloak-audit/x.jsonl run_cloak exec -s dev -c app -- touch started
    expect_status 1
    expect_err_contains 'cannot'
    expect_err_contains '/proc/cloak-audit/x.jsonl'
    expect_err_lines 1
    [ ! -e started ] || fail "the child started without its audit record"
    unset CLOAK_AUDIT_LOG CLOAK_AUDIT_KEY_FILE
}

test_audit_trail_from_atmos_settings_and_concurrent_runs() {
    runners
    export CLOAK_AUDIT_KEY_FILE="$PWD/audit.key"
    unset CLOAK_AUDIT_LOG
    printf 'settings:\n  secrets:\n    audit_log: logs/audit.jsonl\n' >>atmos.yaml
    for i in 1 2 3 4 5 6 7 8; do "$CLOAK" exec -s dev -c app -- true & done
    wait
    [ "$(wc -l <logs/audit.jsonl)" = 8 ] || fail "expected 8 records, got $(wc -l <logs/audit.jsonl)"
    python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' logs/audit.jsonl || fail "a record is torn"
    unset CLOAK_AUDIT_KEY_FILE
}
