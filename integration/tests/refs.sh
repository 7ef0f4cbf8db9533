# vals-style ref+ references, SOPS-encrypted stack manifests and exec --watch (issue 9).

# A copy of the refs fixture with a fresh age key; secrets.enc.yaml and the encrypted overlay manifest are
# encrypted now (with the real sops when CLOAK_TEST_SOPS is set, else with cloak).
refs_fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/refs/." "$d/"
    cd "$d"
    unset SOPS_AGE_KEY SOPS_AGE_KEY_CMD ATMOS_MASK
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config" CLOAK_NO_CACHE=1 REFS_TOKEN="env-t0ken"
    "$CLOAK" age keygen -o "$d/key.txt" 2>/dev/null
    recipient=$(grep '^# public key: ' "$d/key.txt" | cut -d' ' -f4)
    export SOPS_AGE_KEY_FILE="$d/key.txt" PATH="$d/tools:$PATH"
    refs_encrypt plain/secrets.yaml >secrets.enc.yaml
    refs_encrypt plain/overlay.yaml >stacks/catalog/overlay.sops.yaml
}

refs_encrypt() {
    if [ -x "${CLOAK_TEST_SOPS:-}" ]; then
        SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -e --age "$recipient" "$1"
    else
        "$CLOAK" sops encrypt "$1" --age "$recipient"
    fi
}

test_refs_eval_resolves_echo_file_envsubst_sops() {
    refs_fixture
    run_cloak eval doc.yaml --mask=false
    expect_status 0
    expect_out "$(printf '%s\n' 'echo: hello/world' 'port: 5432' 'user: user=admin port=5432' 'token: dG9rLW9uZQ==' \
        'home: env-t0ken' 'nested: env-t0ken/suffix' 'password: db-pa55word' 'untouched:' '  - 1' '  - true' '  - plain')"
    run_cloak eval doc.yaml --format json --mask=false
    expect_out_contains '"port": 5432,'
    run_cloak eval - <doc.yaml
    expect_status 0
    expect_out_lacks "db-pa55word"
    expect_out_lacks "env-t0ken"
    expect_out_contains "password: <MASKED>"
    expect_out_contains "untouched:"
}

test_refs_eval_error_names_backend_and_location() {
    refs_fixture
    printf 'a: 1\nb: ref+file://missing.yaml#/x\n' >bad.yaml
    run_cloak eval bad.yaml
    expect_status 1
    expect_err_contains "bad.yaml:2:4: error: cannot resolve ref+file reference"
    printf 'nested: ref+file://ref+sops://secrets.enc.yaml#/db/password+/x\n' >nested.yaml
    run_cloak eval nested.yaml
    expect_status 1
    [[ "$err" != *db-pa55word* ]] || fail "a nested secret leaked into the error"
}

test_refs_ref_get() {
    refs_fixture
    run_cloak ref get 'ref+sops://secrets.enc.yaml#/api/key' --mask=false
    expect_status 0
    expect_out "api-k3y-value"
    run_cloak ref get 'ref+sops://secrets.enc.yaml#/api/key'
    expect_out "<MASKED>"
    run_cloak ref get 'ref+file://config.yaml#/db' --mask=false
    expect_out '{"port":5432,"user":"admin"}'
    VAULT_ADDR= run_cloak ref get 'ref+vault://secret/db/password'
    expect_status 1
    expect_err_contains "cannot resolve ref+vault reference: vault: no server address"
}

test_refs_component_env_reaches_exec() {
    refs_fixture
    run_cloak exec -s dev -c app -- sh -c 'printf "%s|" "$DB_PASSWORD" "$DB_URL" "$API_TOKEN" "$ECHO_SECRET" "$SOPS_SECRET" "$GLOBAL_TOKEN" "$OVERLAY_SECRET" "$PLAIN"'
    expect_status 0
    expect_out "db-pa55word|postgres://admin:db-pa55word@db:5432/app|tok-one|from-echo|api-k3y-value|env-t0ken|ov3rlay-s3cret|hello|"
    run_cloak exec -s dev -c app --mask-output -- sh -c 'echo "pw=$DB_PASSWORD overlay=$OVERLAY_SECRET"'
    expect_out "pw=<MASKED> overlay=<MASKED>"
    run_cloak list -s dev -c app
    expect_out_contains "ECHO_SECRET"
    expect_out_contains "initialized"
}

test_refs_unresolvable_env_ref_stops_exec() {
    refs_fixture
    run_cloak exec -s broken -c broken -- true
    expect_status 1
    expect_err_contains "stacks/catalog/broken.yaml:5:18: error: cannot resolve ref+file reference"
}

test_refs_encrypted_manifest_merged_and_masked() {
    refs_fixture
    run_cloak describe component app -s dev --query .vars
    expect_status 0
    expect_out "$(printf '%s\n' 'db_password: <MASKED>' 'dsn: <MASKED>' 'name: app' 'overlay_password: <MASKED>' 'port: <MASKED>' 'replicas: <MASKED>' 'stage: dev')"
    run_cloak describe component app -s dev --query .env --mask=false
    expect_out_contains "OVERLAY_SECRET: ov3rlay-s3cret"
    expect_out_contains "DB_PASSWORD: db-pa55word"
    run_cloak describe component app -s dev --query .settings.owner --mask=false
    expect_out "team/platform"
    run_cloak describe component app -s dev --query .secrets.vars.ECHO_SECRET.ref --mask=false
    expect_out "ref+echo://from-echo"
    run_cloak describe stacks -s dev
    expect_out_lacks "ov3rlay-s3cret"
    expect_out_contains "OVERLAY_SECRET: <MASKED>"
    # The stack index cache is never written once an encrypted manifest was read.
    CLOAK_NO_CACHE= run_cloak list stacks
    expect_status 0
    [ -z "$(ls "$HOME/.cache/cloak" 2>/dev/null)" ] || fail "stack index cache written"
}

test_refs_runner_keeps_ref_and_encrypted_values_out_of_the_var_file() {
    refs_fixture
    run_cloak terraform plan app -s dev
    expect_status 0
    expect_out_contains "varfile-path=/dev/fd/3"
    expect_out_contains 'name = "app"'
    expect_out_lacks "port = "  # every resolved reference value counts as a secret, even a port
    expect_out_contains "TF_VAR_port=<set>"
    expect_out_lacks "db-pa55word"
    expect_out_lacks "ov3rlay-s3cret"
    expect_out_contains "TF_VAR_db_password=<set>"
    expect_out_contains "TF_VAR_dsn=<set>"
    expect_out_contains "TF_VAR_overlay_password=<set>"
}

test_refs_watch_restarts_child_with_rotated_value() {
    refs_fixture
    "$CLOAK" exec -s dev -c app --watch 1s -- sh -c 'echo "start $API_TOKEN"; exec sleep 30' >watch.out 2>watch.err &
    local pid=$!
    local i
    for i in $(seq 1 50); do grep -q "start tok-one" watch.out 2>/dev/null && break; sleep 0.1; done
    printf 'tok-two' >token.txt
    for i in $(seq 1 80); do grep -q "start tok-two" watch.out 2>/dev/null && break; sleep 0.1; done
    grep -q "start tok-two" watch.out || fail "child was not restarted with the new value: $(cat watch.out watch.err)"
    grep -q "secrets changed" watch.err || fail "no restart notice"
    [ "$(grep -c '^start' watch.out)" -eq 2 ] || fail "expected exactly two starts: $(cat watch.out)"
    kill -TERM "$pid"
    set +e; wait "$pid"; status=$?; set -e
    expect_status 143
}

test_refs_watch_signal_mode() {
    refs_fixture
    "$CLOAK" exec -s dev -c app --watch 1s --on-change signal:SIGUSR1 -- \
        sh -c 'trap "echo got-usr1" USR1; echo started; i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; echo done' >sig.out 2>sig.err &
    local pid=$!
    local i
    for i in $(seq 1 50); do grep -q started sig.out 2>/dev/null && break; sleep 0.1; done
    sops_rotate
    for i in $(seq 1 80); do grep -q got-usr1 sig.out 2>/dev/null && break; sleep 0.1; done
    grep -q got-usr1 sig.out || fail "signal not delivered: $(cat sig.out sig.err)"
    [ "$(grep -c started sig.out)" -eq 1 ] || fail "child restarted in signal mode"
    kill -TERM "$pid" 2>/dev/null
    set +e; wait "$pid"; set -e
}

# Rotates db.password in secrets.enc.yaml in place.
sops_rotate() {
    "$CLOAK" sops set secrets.enc.yaml '["db"]["password"]' '"rotated-pw"' >/dev/null 2>&1 || fail "sops set failed"
}

test_refs_awsssm_against_moto() {
    refs_fixture
    local here; here=$(pwd)
    aws_fixture || return
    cd "$here"
    aws_py '
ssm.put_parameter(Name="/app/db/password", Value="ssm-pa55", Type="SecureString")
ssm.put_parameter(Name="/app/db/user", Value="ssm-user", Type="String")
ssm.put_parameter(Name="/app/config", Value="port: 6379\nhost: cache", Type="SecureString")'
    run_cloak ref get 'ref+awsssm://app/db/password' --mask=false
    expect_status 0
    expect_out "ssm-pa55"
    printf 'pw: ref+awsssm:///app/db/password\nuser: ref+awsssm://app/db/user\ndsn: "ref+awsssm://app/db/user+:ref+awsssm://app/db/password+@db"\nport: ref+awsssm://app/config?mode=singleparam#/port\n' >ssm.yaml
    run_cloak eval ssm.yaml --mask=false
    expect_status 0
    expect_out "$(printf '%s\n' 'pw: ssm-pa55' 'user: ssm-user' 'dsn: ssm-user:ssm-pa55@db' 'port: 6379')"
    # Every awsssm reference of a document in one GetParameters call (through the counting proxy).
    proxy_up || return
    printf 'a: ref+awsssm://app/db/password\nb: [ref+awsssm://app/db/user]\nc: ref+awsssm://app/config?mode=singleparam#/host\nd: ref+awsssm://app/db/password\n' >batch.yaml
    run_cloak eval batch.yaml --mask=false
    expect_status 0
    expect_out "$(printf '%s\n' 'a: ssm-pa55' 'b:' '  - ssm-user' 'c: cache' 'd: ssm-pa55')"
    [ "$(proxy_count)" = "1" ] || fail "expected one GetParameters call, proxy saw $(proxy_count)"
    run_cloak ref get 'ref+awsssm://app/missing'
    expect_status 1
    expect_err_contains "cannot resolve ref+awsssm reference"
    expect_err_contains "not found"
}

test_refs_watch_child_exit_status_and_backoff() {
    refs_fixture
    run_cloak exec -s dev -c app --watch 1s -- sh -c 'exit 0'
    expect_status 0
    run_cloak exec -s dev -c app --watch 500ms -- sh -c 'echo run >>runs.txt; exit 3'
    expect_status 3
    expect_err_contains "giving up"
    [ "$(wc -l <runs.txt)" -eq 5 ] || fail "expected 5 attempts, got $(wc -l <runs.txt)"
    run_cloak exec -s dev -c app --watch 1s --on-change signal:SIGFOO -- true
    expect_status 1
    expect_err_contains "--on-change signal:SIGFOO"
}

test_refs_sops_mac_is_verified() {
    refs_fixture
    sed -i 's/lastmodified: "20/lastmodified: "19/' secrets.enc.yaml
    grep -q 'lastmodified: "19' secrets.enc.yaml || fail "fixture edit did not apply"
    run_cloak ref get 'ref+sops://secrets.enc.yaml#/db/password' --mask=false
    expect_status 1
    expect_err_contains "cannot resolve ref+sops reference"
    expect_err_contains "MAC mismatch"
    expect_out ""
}
