# keychain store: the file backend (upstream scenario 13) and the system backend (cloak's own D-Bus client) against
# a headless gnome-keyring under dbus-run-session, cross-checked with libsecret's secret-tool.

keychain_fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/keychain-secrets/." "$d/"
    cd "$d"
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config" XDG_DATA_HOME="$d/home/.local/share"
    mkdir -p "$HOME"
    export ATMOS_KEYRING_PASSWORD=correct-horse
}

# clean_env CMD…: CMD with only PATH and HOME, plus a sanitizer's settings when scripts/reliability runs this suite
# against a sanitized cloak (without them LeakSanitizer would report and change exit codes).
clean_env() {
    local keep=(PATH=/usr/bin:/bin HOME="$HOME") name
    for name in ASAN_OPTIONS TSAN_OPTIONS CLOAK_SANITIZER; do [ -z "${!name:-}" ] || keep+=("$name=${!name}"); done
    env -i "${keep[@]}" "$@"
}

# keychain_session [RUNNER…]: runs ./run.sh in a clean environment (under RUNNER, e.g. `dbus-run-session --`),
# killed after 120 s; sets status, out and err (err without the identity warning and dbus-daemon's own noise,
# which `raw_err` keeps).
keychain_session() {
    local o e
    o=$(mktemp) e=$(mktemp)
    clean_env CLOAK="$CLOAK" timeout 120 "$@" bash run.sh >"$o" 2>"$e"
    status=$?; out=$(cat "$o"); raw_err=$(cat "$e")
    err=$(grep -v 'is ignored by the keychain store\|^dbus-daemon' "$e")
    rm -f "$o" "$e"
}

test_keychain_sc13_file_backend_list_without_verify_and_injection() {
    keychain_fixture
    run_cloak set DATADOG_API_KEY=x-dd-key -s dev -c api
    expect_status 0
    run_cloak set DB_PASSWORD=y-db-pw -s dev -c api
    expect_status 0
    run_cloak list -s dev -c api
    expect_status 0
    expect_out_contains "DATADOG_API_KEY	instance	store:local	initialized"
    expect_out_contains "DB_PASSWORD	instance	store:local	initialized"
    # list needs no password: existence is a file check.
    ATMOS_KEYRING_PASSWORD= run_cloak list -s dev -c api
    expect_out_contains "DB_PASSWORD	instance	store:local	initialized"
    run_cloak get DB_PASSWORD -s dev -c api --mask=false
    expect_out "y-db-pw"
    # Encrypted at rest, 0600 files, nothing in clear.
    ! grep -rq "y-db-pw" .keyring || fail "value stored in clear"
    [ "$(find .keyring -type f ! -perm 600 | wc -l)" -eq 0 ] || fail "keyring files are not 0600"
    [ "$(stat -c %a .keyring)" = "700" ] || fail "keyring directory is not 0700"
    ATMOS_KEYRING_PASSWORD=wrong run_cloak get DB_PASSWORD -s dev -c api
    expect_status 1
    expect_err_contains "cannot decrypt the item"
    run_cloak pull -s dev -c api --mask=false
    expect_out_contains "DATADOG_API_KEY=x-dd-key"
    run_cloak exec -s dev -c api -- sh scripts/use-secrets.sh
    expect_status 0
    expect_out_contains "Component command received declared secrets"
    run_cloak delete DB_PASSWORD -s dev -c api --force
    expect_status 0
    run_cloak delete DB_PASSWORD -s dev -c api --force
    expect_status 0
    run_cloak list -s dev -c api
    expect_out_contains "DB_PASSWORD	instance	store:local	missing"
}

test_keychain_system_backend_over_secret_service() {
    command -v secret-tool >/dev/null && command -v gnome-keyring-daemon >/dev/null || { fail "gnome-keyring/secret-tool not installed"; return; }
    keychain_fixture
    cat >run.sh <<'SH'
set -e
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
"$CLOAK" set DESKTOP_TOKEN=desk-1 -s dev -c api
"$CLOAK" set SHARED_DESKTOP_TOKEN='{"a":1}' -s dev
echo "lookup=$(secret-tool lookup service atmos/dev/api/DESKTOP_TOKEN account cloak-tests)"
echo "get=$("$CLOAK" get DESKTOP_TOKEN -s dev -c api --mask=false)"
echo "path=$("$CLOAK" get SHARED_DESKTOP_TOKEN -s dev --mask=false)"
"$CLOAK" list -s dev -c api
"$CLOAK" delete DESKTOP_TOKEN -s dev -c api --force
"$CLOAK" delete DESKTOP_TOKEN -s dev -c api --force
secret-tool lookup service atmos/dev/api/DESKTOP_TOKEN account cloak-tests || echo "gone"
"$CLOAK" list -s dev -c api
SH
    keychain_session dbus-run-session --
    expect_status 0
    expect_out_contains 'lookup="desk-1"'
    expect_out_contains "get=desk-1"
    expect_out_contains 'path={"a":1}'
    expect_out_contains "DESKTOP_TOKEN	instance	store:desktop	initialized"
    expect_out_contains "gone"
    expect_out_contains "DESKTOP_TOKEN	instance	store:desktop	missing"
    [[ "$raw_err" == *'identity "ci-role" is ignored'* ]] || fail "no warning about the ignored identity"
}

test_keychain_system_backend_reads_secret_tool_items_and_replaces_them() {
    command -v secret-tool >/dev/null && command -v gnome-keyring-daemon >/dev/null || { fail "gnome-keyring/secret-tool not installed"; return; }
    keychain_fixture
    cat >run.sh <<'SH'
set -e
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
printf 'from-tool é' | secret-tool store --label=by-tool service atmos/dev/api/DESKTOP_TOKEN account cloak-tests
echo "get=$("$CLOAK" get DESKTOP_TOKEN -s dev -c api --mask=false)"
"$CLOAK" set DESKTOP_TOKEN='from cloak' -s dev -c api
echo "lookup=$(secret-tool lookup service atmos/dev/api/DESKTOP_TOKEN account cloak-tests)"
echo "items=$(secret-tool search --all service atmos/dev/api/DESKTOP_TOKEN 2>&1 | grep -c '^label = ')"
echo "other-account=$(secret-tool lookup service atmos/dev/api/DESKTOP_TOKEN account someone-else || echo none)"
SH
    keychain_session dbus-run-session --
    expect_status 0
    expect_out_contains "get=from-tool é"
    expect_out_contains 'lookup="from cloak"'
    # replace=true: the item secret-tool wrote is replaced, not duplicated.
    expect_out_contains "items=1"
    expect_out_contains "other-account=none"
}

test_keychain_system_backend_over_an_abstract_socket_bus() {
    command -v gnome-keyring-daemon >/dev/null && command -v dbus-daemon >/dev/null || { fail "gnome-keyring/dbus-daemon not installed"; return; }
    keychain_fixture
    # dbus-run-session listens on a socket file; a bus on a Linux abstract socket needs its own daemon.
    cat >run.sh <<'SH'
set -e
read -r addr pid < <(dbus-daemon --session --address="unix:abstract=/tmp/cloak-test-$$" --fork --print-address=1 --print-pid=1 | paste -sd' ')
trap 'kill "$pid"' EXIT
export DBUS_SESSION_BUS_ADDRESS="$addr"
echo "addr=$addr"
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
"$CLOAK" set DESKTOP_TOKEN=abstract-1 -s dev -c api
echo "get=$("$CLOAK" get DESKTOP_TOKEN -s dev -c api --mask=false)"
SH
    keychain_session
    expect_status 0
    expect_out_contains "addr=unix:abstract=/tmp/cloak-test-"
    expect_out_contains "get=abstract-1"
}

test_keychain_system_backend_plain_fallback_and_locked_items() {
    /usr/bin/python3 -c 'import dbus.service, gi' 2>/dev/null || { fail "python3-dbus/python3-gi not installed"; return; }
    keychain_fixture
    # A service that refuses the encrypted session and holds a locked item that would need a prompt.
    cat >run.sh <<SH
/usr/bin/python3 "$ROOT/integration/fakes/fake_secret_service.py" "\$PWD/algorithms.log" atmos/dev/SHARED_DESKTOP_TOKEN cloak-tests >fake.log 2>&1 &
fake=\$!
trap 'kill \$fake' EXIT
for _ in \$(seq 100); do grep -q ready fake.log && break; sleep 0.1; done
"\$CLOAK" set DESKTOP_TOKEN=plain-1 -s dev -c api || echo "set failed"
echo "get=\$("\$CLOAK" get DESKTOP_TOKEN -s dev -c api --mask=false)"
"\$CLOAK" list -s dev
"\$CLOAK" get SHARED_DESKTOP_TOKEN -s dev 2>locked.err || echo "locked get failed"
SH
    keychain_session dbus-run-session --
    err=$(grep -v 'is ignored by the keychain store' locked.err)
    expect_status 0
    expect_out_contains "get=plain-1"
    [ "$(head -2 algorithms.log | paste -sd,)" = "dh-ietf1024-sha256-aes128-cbc-pkcs7,plain" ] \
        || fail "expected an encrypted session first, then plain: $(paste -sd, algorithms.log)"
    # A locked item exists for list, but reading it would need a prompt.
    expect_out_contains "SHARED_DESKTOP_TOKEN	stack	store:desktop	initialized"
    expect_out_contains "locked get failed"
    expect_err_contains "needs an interactive prompt to unlock the item \"atmos/dev/SHARED_DESKTOP_TOKEN\", which a headless run cannot show"
    expect_err_lines 1
    [[ "$err" != *never-shown* ]] || fail "the locked value leaked"
}

test_keychain_system_backend_without_a_default_collection_is_one_line() {
    command -v gnome-keyring-daemon >/dev/null || { fail "gnome-keyring not installed"; return; }
    keychain_fixture
    cat >run.sh <<'SH'
eval "$(gnome-keyring-daemon --start --components=secrets)" >/dev/null
"$CLOAK" set DESKTOP_TOKEN=x -s dev -c api
SH
    keychain_session dbus-run-session --
    expect_status 1
    expect_err_contains "keychain: the Secret Service has no default collection"
    expect_err_contains "use options.backend: file"
    expect_err_lines 1
}

test_keychain_system_backend_silent_bus_times_out_with_one_line() {
    keychain_fixture
    # A socket that accepts connections and never says a word: authentication must give up after the timeout.
    sed -i 's/      service: cloak-tests/      service: cloak-tests\n      timeout: 1/' atmos.yaml
    python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
print("ready", flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' "$PWD/silent.sock" >silent.log 2>&1 &
    local pid=$!
    for _ in $(seq 100); do grep -q ready silent.log 2>/dev/null && break; sleep 0.1; done
    o=$(mktemp) e=$(mktemp)
    clean_env DBUS_SESSION_BUS_ADDRESS="unix:path=$PWD/silent.sock,guid=0" \
        timeout 60 "$CLOAK" get DESKTOP_TOKEN -s dev -c api >"$o" 2>"$e"
    status=$?; out=$(cat "$o"); err=$(grep -v 'is ignored by the keychain store' "$e")
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    expect_status 1
    expect_err_contains "keychain: D-Bus: the session bus did not answer authentication within 1 s"
    expect_err_lines 1
}

test_keychain_system_backend_without_a_session_bus_is_one_line() {
    keychain_fixture
    o=$(mktemp) e=$(mktemp)
    clean_env "$CLOAK" get DESKTOP_TOKEN -s dev -c api >"$o" 2>"$e"
    status=$?; out=$(cat "$o"); err=$(grep -v 'is ignored by the keychain store' "$e")
    expect_status 1
    expect_err_contains "keychain: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
    expect_err_lines 1
}
