# onepassword (Connect mode) against integration/fakes/fake_onepassword_connect.py.

OP_PORT="${OP_PORT:-8472}"
eval "_op_prev_exit=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_op_prev_exit:+$_op_prev_exit; }\"\$ROOT/integration/servers/fake-server.sh\" stop onepassword >/dev/null 2>&1 || true" EXIT

op_fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/onepassword-secrets/." "$d/"
    cd "$d"
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config"
    mkdir -p "$HOME"
    OP_URL="http://127.0.0.1:$OP_PORT"
    "$ROOT/integration/servers/fake-server.sh" start onepassword "$OP_URL/__items" fake_onepassword_connect.py "$OP_PORT" connect-token-1 Infra Other \
        || { fail "fake connect did not start"; return 1; }
    export OP_CONNECT_HOST="$OP_URL" OP_CONNECT_TOKEN=connect-token-1
    unset OP_SERVICE_ACCOUNT_TOKEN
}

op_items() { curl -fsS "$OP_URL/__items" | python3 -c "import json,sys; items=json.load(sys.stdin); $1"; }

test_onepassword_connect_set_get_templates_and_items() {
    op_fixture || return
    run_cloak set DATADOG_API_KEY=dd-1 -s dev -c api
    expect_status 0
    run_cloak set DB_PASSWORD=db-1 -s dev -c api
    expect_status 0
    run_cloak set SHARED_TOKEN=shared-1 -s dev -c api
    expect_status 0
    run_cloak set 'SETTINGS={"a":1}' -s dev -c api
    expect_status 0
    got=$(op_items 'print(sorted((i["vault_name"], i["title"], i["category"], f["label"], f["type"], f["value"]) for i in items for f in i["fields"]))')
    expected="[('Infra', 'SHARED_TOKEN', 'API_CREDENTIAL', 'credential', 'CONCEALED', 'shared-1'), ('Infra', 'app-settings', 'API_CREDENTIAL', 'json', 'CONCEALED', '{\"a\":1}'), ('Infra', 'dev-api', 'API_CREDENTIAL', 'datadog', 'CONCEALED', 'dd-1'), ('Infra', 'dev-api', 'API_CREDENTIAL', 'db', 'CONCEALED', 'db-1')]"
    [ "$got" = "$expected" ] || fail "Connect holds: $got"
    run_cloak set DATADOG_API_KEY=dd-2 -s dev -c api
    expect_status 0
    run_cloak get DATADOG_API_KEY -s dev -c api --mask=false
    expect_status 0
    expect_out "dd-2"
    run_cloak get SETTINGS -s dev -c api --mask=false
    expect_out '{"a":1}'
    run_cloak list -s dev -c api --verify
    expect_out_contains "DATADOG_API_KEY	instance	store:op	initialized"
    run_cloak pull -s dev -c api --mask=false
    expect_out_contains "DB_PASSWORD=db-1"
    expect_out_contains "SHARED_TOKEN=shared-1"
}

test_onepassword_delete_field_then_empty_item() {
    op_fixture || return
    run_cloak set DATADOG_API_KEY=dd-1 -s dev -c api
    run_cloak set DB_PASSWORD=db-1 -s dev -c api
    run_cloak delete DATADOG_API_KEY -s dev -c api --force
    expect_status 0
    [ "$(op_items 'print([f["label"] for i in items if i["title"] == "dev-api" for f in i["fields"]])')" = "['db']" ] || fail "field not removed"
    run_cloak get DATADOG_API_KEY -s dev -c api
    expect_status 1
    expect_err_contains 'op://Infra/dev-api/datadog not found in store "op"'
    run_cloak delete DB_PASSWORD -s dev -c api --force
    expect_status 0
    [ "$(op_items 'print(len(items))')" = "0" ] || fail "empty item not deleted"
    run_cloak delete DB_PASSWORD -s dev -c api --force
    expect_status 0
    run_cloak list -s dev -c api --verify
    expect_out_contains "DB_PASSWORD	instance	store:op	missing"
}

test_onepassword_modes_and_errors() {
    op_fixture || return
    OP_CONNECT_TOKEN=wrong run_cloak get SHARED_TOKEN -s dev -c api
    expect_status 1
    expect_err_contains "not authenticated (HTTP 401)"
    expect_err_lines 1
    [[ "$err" != *wrong* ]] || fail "error shows the token"
    unset OP_CONNECT_HOST OP_CONNECT_TOKEN
    export OP_SERVICE_ACCOUNT_TOKEN=ops_fake
    run_cloak get SHARED_TOKEN -s dev -c api
    expect_status 1
    expect_err_contains "service-account mode is not supported"
    expect_err_contains "OP_CONNECT_HOST"
    # list without --verify needs no credentials.
    run_cloak list -s dev -c api
    expect_status 0
    unset OP_SERVICE_ACCOUNT_TOKEN
    run_cloak get SHARED_TOKEN -s dev -c api
    expect_status 1
    expect_err_contains "1Password Connect is not configured"
}

test_onepassword_item_by_id_and_sections() {
    op_fixture || return
    run_cloak set SHARED_TOKEN=shared-1 -s dev -c api
    expect_status 0
    id=$(op_items 'print(items[0]["id"])')
    sed -i "s|reference: 'app-settings/json'|reference: 'op://Infra/$id/credential'|" stacks/deploy/dev.yaml
    run_cloak get SETTINGS -s dev -c api --mask=false
    expect_status 0
    expect_out "shared-1"
    sed -i "s|reference: 'op://Infra/$id/credential'|reference: 'op://Infra/sectioned/login/password'|" stacks/deploy/dev.yaml
    run_cloak set SETTINGS=pw-1 -s dev -c api
    expect_status 0
    got=$(op_items 'print([(f["label"], f.get("section", {}).get("id"), f["value"]) for i in items if i["title"] == "sectioned" for f in i["fields"]], [s["label"] for i in items if i["title"] == "sectioned" for s in i.get("sections", [])])')
    [ "$got" = "[('password', 'login', 'pw-1')] ['login']" ] || fail "sectioned item: $got"
    run_cloak get SETTINGS -s dev -c api --mask=false
    expect_out "pw-1"
}

OP_PROXY_PORT="${OP_PROXY_PORT:-8478}"
eval "_op_prev_exit2=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_op_prev_exit2:+$_op_prev_exit2; }\"\$ROOT/integration/servers/fault-proxy.sh\" stop $OP_PROXY_PORT >/dev/null 2>&1 || true" EXIT

# 1Password Connect behind the fault proxy.
test_onepassword_fault_matrix_through_proxy() {
    op_fixture || return
    run_cloak set SHARED_TOKEN=shared-1 -s dev -c api
    expect_status 0
    OPROXY=$(start_fault_proxy "$OP_URL" "$OP_PROXY_PORT") || { fail "proxy did not start"; return; }
    export OP_CONNECT_HOST="$OPROXY"
    # Two throttled answers, then the vault lookup, the item search and the item itself.
    http_fault_matrix "$OPROXY" SHARED_TOKEN shared-1 5 -- -s dev -c api
    printf '      timeout: 1\n      max_attempts: 2\n' >>atmos.yaml
    http_fault_timeout "$OPROXY" SHARED_TOKEN -- -s dev -c api
    stop_fault_proxy "$OP_PROXY_PORT"
}

# Service-account mode is a one-line error naming what to set instead; `auto` prefers Connect when both are set.
test_onepassword_service_account_error_and_auto_prefers_connect() {
    op_fixture || return
    run_cloak set SHARED_TOKEN=shared-1 -s dev -c api
    expect_status 0
    OP_SERVICE_ACCOUNT_TOKEN=ops_fake_token run_cloak get SHARED_TOKEN -s dev -c api --mask=false
    expect_status 0
    expect_out "shared-1"
    OP_CONNECT_HOST= OP_CONNECT_TOKEN= OP_SERVICE_ACCOUNT_TOKEN=ops_fake_token run_cloak get SHARED_TOKEN -s dev -c api
    expect_status 1
    expect_err_contains "1Password service-account mode is not supported by cloak"
    expect_err_contains "set connect_host and connect_token (or OP_CONNECT_HOST and OP_CONNECT_TOKEN)"
    expect_err_lines 1
    [[ "$err" != *ops_fake_token* ]] || fail "error shows the token"
    # An explicit mode wins over configured Connect variables.
    sed -i 's|      vault: Infra|      vault: Infra\n      mode: service-account|' atmos.yaml
    run_cloak get SHARED_TOKEN -s dev -c api
    expect_status 1
    expect_err_contains "1Password service-account mode is not supported by cloak"
    expect_err_lines 1
}
