# hashicorp/vault (KV v2) store and the sops hc_vault key type against the real OpenBao dev server on 127.0.0.1,
# plus the fault matrix through integration/fakes/fault_proxy.py. Servers start on first use and stop when
# integration/run exits.

# store_py: a Python with `cryptography` (the test venv's when it has it).
store_py() {
    if [ -x "$ROOT/.venv-test/bin/python" ] && "$ROOT/.venv-test/bin/python" -c 'import cryptography' 2>/dev/null; then
        "$ROOT/.venv-test/bin/python" "$@"
    else
        python3 "$@"
    fi
}

VAULT_PORT="${VAULT_PORT:-8290}"
VAULT_PROXY_PORT="${VAULT_PROXY_PORT:-8296}"
eval "_vault_prev_exit=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
VAULT_TLS_PORT="${VAULT_TLS_PORT:-8293}"
VAULT_TLS_STATE="${TMPDIR:-/tmp}/cloak-bao-tls-$(id -u)"
trap "${_vault_prev_exit:+$_vault_prev_exit; }\"\$ROOT/integration/servers/fault-proxy.sh\" stop $VAULT_PROXY_PORT >/dev/null 2>&1 || true; \"\$ROOT/integration/servers/openbao.sh\" stop >/dev/null 2>&1 || true; BAO_STATE_DIR=\"$VAULT_TLS_STATE\" \"\$ROOT/integration/servers/openbao.sh\" stop >/dev/null 2>&1 || true" EXIT

# make_jwt NAME SUBJECT AUDIENCE: a fresh RS256 key pair and a JWT it signed (valid 10 minutes): NAME.pub holds the
# PEM public key, NAME.jwt the token (newline-terminated, as token files are).
make_jwt() {
    store_py - "$@" <<'PY' || { fail "could not make a test JWT"; return 1; }
import json, sys, time, base64
from cryptography.hazmat.primitives.asymmetric import rsa, padding
from cryptography.hazmat.primitives import hashes, serialization
name, sub, aud = sys.argv[1:4]
k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
open(name + ".pub", "w").write(k.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=")
h = b(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
p = b(json.dumps({"sub": sub, "aud": aud, "iat": int(time.time()), "exp": int(time.time()) + 600}).encode())
sig = k.sign(h + b"." + p, padding.PKCS1v15(), hashes.SHA256())
open(name + ".jwt", "w").write((h + b"." + p + b"." + b(sig)).decode() + "\n")
PY
}

# bao_api METHOD PATH [JSON]: a root-token call to the dev server; prints the body.
bao_api() {
    curl -sS -X "$1" -H 'X-Vault-Token: root' "$BAO_URL/v1/$2" ${3:+-d "$3"}
}

# vault_fixture: a fresh copy of the vault-secrets fixture on a fresh KV v2 mount, VAULT_ADDR/VAULT_TOKEN set.
vault_fixture() {
    BAO_URL=$("$ROOT/integration/servers/openbao.sh" start "$VAULT_PORT") || { fail "openbao did not start"; return 1; }
    VAULT_MOUNT="kv$RANDOM$RANDOM"
    bao_api POST "sys/mounts/$VAULT_MOUNT" '{"type":"kv","options":{"version":"2"}}' >/dev/null
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/vault-secrets/." "$d/"
    cd "$d"
    sed -i "s/      mount: secret/      mount: $VAULT_MOUNT/" atmos.yaml
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config"
    mkdir -p "$HOME"
    export VAULT_ADDR="$BAO_URL" VAULT_TOKEN=root
    unset VAULT_NAMESPACE VAULT_CACERT VAULT_SKIP_VERIFY CLOAK_MAX_ATTEMPTS
}

vault_set_all() {
    run_cloak set API_TOKEN=inst-token-1 -s dev -c secret-consumer
    expect_status 0
    run_cloak set STACK_TOKEN=stack-token-1 -s dev
    expect_status 0
    run_cloak set GLOBAL_SHARED_TOKEN=global-token-1 -s dev -c secret-consumer
    expect_status 0
}

test_vault_set_get_every_scope_list_validate_pull() {
    vault_fixture || return
    vault_set_all
    run_cloak set 'DATABASE_CONFIG={"username":"app","password":"dev-db-password"}' -s dev -c secret-consumer
    expect_status 0
    # Paths and the `value` field as Atmos writes them; stack and global coordinates work.
    got=$(bao_api GET "$VAULT_MOUNT/data/cloak/dev/secret-consumer/API_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["data"])')
    [ "$got" = "{'value': 'inst-token-1'}" ] || fail "KV holds: $got"
    got=$(bao_api GET "$VAULT_MOUNT/data/cloak/dev/STACK_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["data"]["value"])')
    [ "$got" = "stack-token-1" ] || fail "stack path holds: $got"
    got=$(bao_api GET "$VAULT_MOUNT/data/cloak/GLOBAL_SHARED_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["data"]["value"])')
    [ "$got" = "global-token-1" ] || fail "global path holds: $got"
    run_cloak get API_TOKEN -s dev -c secret-consumer --mask=false
    expect_out "inst-token-1"
    run_cloak get STACK_TOKEN -s dev --mask=false
    expect_out "stack-token-1"
    run_cloak get GLOBAL_SHARED_TOKEN -s dev -c secret-consumer --mask=false
    expect_out "global-token-1"
    run_cloak get DATABASE_CONFIG -s dev -c secret-consumer --path .password --mask=false
    expect_status 0
    expect_out "dev-db-password"
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_out "<MASKED>"
    run_cloak list -s dev -c secret-consumer --verify
    expect_status 0
    [ "$(printf '%s\n' "$out" | grep -c initialized)" -eq 4 ] || fail "list --verify: not all initialized"
    run_cloak validate -s dev -c secret-consumer
    expect_status 0
    run_cloak pull -s dev -c secret-consumer --mask=false
    expect_status 0
    expect_out_contains "API_TOKEN=inst-token-1"
    expect_out_contains "STACK_TOKEN=stack-token-1"
    expect_out_contains "GLOBAL_SHARED_TOKEN=global-token-1"
    run_cloak exec -s dev -c secret-consumer -- sh -c 'printf "%s %s" "$API_TOKEN" "$STACK_TOKEN"'
    expect_status 0
    expect_out "inst-token-1 stack-token-1"
}

test_vault_delete_is_a_hard_delete() {
    vault_fixture || return
    vault_set_all
    run_cloak delete API_TOKEN -s dev -c secret-consumer --force
    expect_status 0
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Vault-Token: root' "$BAO_URL/v1/$VAULT_MOUNT/metadata/cloak/dev/secret-consumer/API_TOKEN")
    [ "$code" = "404" ] || fail "metadata still there after delete (HTTP $code)"
    run_cloak list -s dev -c secret-consumer --verify
    expect_out_contains "API_TOKEN	instance	store:vault	missing"
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "not found in store \"vault\""
    run_cloak validate -s dev -c secret-consumer
    expect_status 1
    run_cloak delete API_TOKEN -s dev -c secret-consumer --force
    expect_status 1
    expect_err_lines 1
    # A version soft-deleted by another tool counts as missing too.
    bao_api DELETE "$VAULT_MOUNT/data/cloak/dev/STACK_TOKEN" >/dev/null
    run_cloak list -s dev --verify
    expect_out_contains "STACK_TOKEN	stack	store:vault	missing"
}

test_vault_reads_whole_data_map_without_value_field() {
    vault_fixture || return
    bao_api POST "$VAULT_MOUNT/data/cloak/dev/secret-consumer/DATABASE_CONFIG" '{"data":{"user":"admin","password":"pw-9"}}' >/dev/null
    run_cloak get DATABASE_CONFIG -s dev -c secret-consumer --path .password --mask=false
    expect_status 0
    expect_out "pw-9"
    bao_api POST "$VAULT_MOUNT/data/cloak/dev/secret-consumer/API_TOKEN" '{"data":{"value":{"nested":[1,2]}}}' >/dev/null
    run_cloak get API_TOKEN -s dev -c secret-consumer --path '.nested[1]' --mask=false
    expect_out "2"
}

test_vault_approle_auth_and_403() {
    vault_fixture || return
    vault_set_all
    bao_api POST sys/auth/approle '{"type":"approle"}' >/dev/null 2>&1 || true
    policy="path \"$VAULT_MOUNT/data/cloak/*\" { capabilities = [\"read\"] }
path \"$VAULT_MOUNT/metadata/cloak/*\" { capabilities = [\"read\"] }"
    bao_api PUT "sys/policies/acl/$VAULT_MOUNT-read" "$(python3 -c 'import json,sys; print(json.dumps({"policy": sys.argv[1]}))' "$policy")" >/dev/null
    bao_api POST "auth/approle/role/$VAULT_MOUNT" "{\"token_policies\":[\"$VAULT_MOUNT-read\"],\"token_ttl\":\"5m\"}" >/dev/null
    role_id=$(bao_api GET "auth/approle/role/$VAULT_MOUNT/role-id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["role_id"])')
    export CI_SECRET_ID=$(bao_api POST "auth/approle/role/$VAULT_MOUNT/secret-id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["secret_id"])')
    cat >>atmos.yaml <<YAML
      auth:
        method: approle
        role_id: $role_id
        secret_id_env: CI_SECRET_ID
YAML
    unset VAULT_TOKEN
    run_cloak get API_TOKEN -s dev -c secret-consumer --mask=false
    expect_status 0
    expect_out "inst-token-1"
    run_cloak list -s dev -c secret-consumer --verify
    expect_out_contains "API_TOKEN	instance	store:vault	initialized"
    # The policy only reads: a write is a one-line 403.
    run_cloak set API_TOKEN=nope -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "permission denied (HTTP 403)"
    expect_err_lines 1
    [[ "$err" != *"$CI_SECRET_ID"* ]] || fail "error shows the secret id"
    export CI_SECRET_ID=wrong-secret-id
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "vault approle login"
    expect_err_lines 1
}

test_vault_jwt_auth_ci_path() {
    vault_fixture || return
    vault_set_all
    make_jwt ci repo:acme/app cloak || return
    bao_api POST sys/auth/jwt '{"type":"jwt"}' >/dev/null 2>&1 || true
    bao_api POST auth/jwt/config "$(python3 -c 'import json; print(json.dumps({"jwt_validation_pubkeys":[open("ci.pub").read()]}))')" >/dev/null
    bao_api PUT "sys/policies/acl/$VAULT_MOUNT-all" "{\"policy\":\"path \\\"$VAULT_MOUNT/*\\\" { capabilities = [\\\"read\\\",\\\"create\\\",\\\"update\\\",\\\"delete\\\"] }\"}" >/dev/null
    bao_api POST "auth/jwt/role/$VAULT_MOUNT" "{\"role_type\":\"jwt\",\"user_claim\":\"sub\",\"bound_audiences\":[\"cloak\"],\"token_policies\":[\"$VAULT_MOUNT-all\"]}" >/dev/null
    cat >>atmos.yaml <<YAML
      auth:
        method: jwt
        role: $VAULT_MOUNT
        jwt_file: $PWD/ci.jwt
YAML
    unset VAULT_TOKEN
    run_cloak set API_TOKEN=from-ci -s dev -c secret-consumer
    expect_status 0
    run_cloak get API_TOKEN -s dev -c secret-consumer --mask=false
    expect_out "from-ci"
}

test_vault_bad_token_and_server_down_are_one_line() {
    vault_fixture || return
    vault_set_all
    VAULT_TOKEN=not-a-token run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "vault read \"$VAULT_MOUNT/cloak/dev/secret-consumer/API_TOKEN\": permission denied (HTTP 403)"
    expect_err_lines 1
    [[ "$err" != *not-a-token* ]] || fail "error shows the token"
    start=$(date +%s)
    VAULT_ADDR=http://127.0.0.1:1 run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "could not connect after 3 attempts (http://127.0.0.1:1)"
    expect_err_lines 1
    [ $(( $(date +%s) - start )) -le 10 ] || fail "server-down error took too long"
    unset VAULT_TOKEN
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "no Vault token"
    echo root >"$HOME/.vault-token"
    run_cloak get API_TOKEN -s dev -c secret-consumer --mask=false
    expect_status 0
    expect_out "inst-token-1"
}

test_vault_sops_hc_vault_interop_with_real_sops() {
    vault_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    bao_api POST sys/mounts/transit '{"type":"transit"}' >/dev/null 2>&1 || true
    bao_api POST transit/keys/sops >/dev/null 2>&1 || true
    printf 'db_password: vault-secret-1\napi: {token: t0k}\n' >plain.yaml
    SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -e --hc-vault-transit "$BAO_URL/v1/transit/keys/sops" plain.yaml >hcv.enc.yaml \
        || { fail "sops -e --hc-vault-transit failed"; return; }
    grep -q 'hc_vault' hcv.enc.yaml || { fail "no hc_vault entry"; return; }
    run_cloak sops decrypt hcv.enc.yaml
    expect_status 0
    expect_out "$(printf 'db_password: vault-secret-1\napi:\n    token: t0k')"
    run_cloak sops set hcv.enc.yaml '["db_password"]' '"rotated-2"'
    expect_status 0
    got=$(SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -d --extract '["db_password"]' hcv.enc.yaml)
    [ "$got" = "rotated-2" ] || fail "sops -d after cloak set: $got"
    VAULT_TOKEN=bad run_cloak sops decrypt hcv.enc.yaml
    expect_status 1
    expect_err_contains "vault transit decrypt sops: permission denied (HTTP 403)"
}

vault_proxy_up() {
    VPROXY=$("$ROOT/integration/servers/fault-proxy.sh" start "$BAO_URL" "$VAULT_PROXY_PORT") || { fail "proxy did not start"; return 1; }
    curl -fsS -X POST "$VPROXY/__reset" >/dev/null
    export VAULT_ADDR="$VPROXY"
}
vproxy_mode() { curl -fsS -X POST "$VPROXY/__reset" >/dev/null; curl -fsS -X POST --data "$1" "$VPROXY/__fault" >/dev/null; }
vproxy_count() { curl -fsS "$VPROXY/__count"; }

test_vault_fault_429_and_500_are_retried_then_reported() {
    vault_fixture || return
    vault_set_all
    vault_proxy_up || return
    vproxy_mode "429-first:2"
    run_cloak get API_TOKEN -s dev -c secret-consumer --mask=false
    expect_status 0
    expect_out "inst-token-1"
    [ "$(vproxy_count)" = "3" ] || fail "expected 3 requests, proxy saw $(vproxy_count)"
    vproxy_mode 429
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "throttled (HTTP 429) after 3 attempts"
    expect_err_lines 1
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    vproxy_mode 500
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "server error (HTTP 500) after 3 attempts"
    [ "$(vproxy_count)" = "3" ] || fail "expected 3 attempts, proxy saw $(vproxy_count)"
}

test_vault_fault_reset_timeout_malformed_huge() {
    vault_fixture || return
    vault_set_all
    vault_proxy_up || return
    vproxy_mode reset
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "connection was reset after 3 attempts"
    expect_err_lines 1
    vproxy_mode "delay:5"
    sed -i 's/      prefix: cloak/      prefix: cloak\n      timeout: 1\n      max_attempts: 2/' atmos.yaml
    start=$(date +%s)
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "request timed out after 2 attempts"
    [ $(( $(date +%s) - start )) -le 5 ] || fail "timeout not bounded"
    vproxy_mode malformed
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "the response is not valid JSON"
    expect_err_lines 1
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    [ "$(vproxy_count)" = "1" ] || fail "malformed JSON should not be retried"
    vproxy_mode "huge:50"
    start=$(date +%s)
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "response is larger than 10 MB"
    [ $(( $(date +%s) - start )) -le 10 ] || fail "huge body not cut short"
    # A failing required secret never yields a partial environment.
    vproxy_mode 500
    run_cloak validate -s dev -c secret-consumer
    expect_status 1
    run_cloak pull -s dev -c secret-consumer --mask=false
    expect_out_lacks "inst-token-1"
    run_cloak exec -s dev -c secret-consumer -- sh -c 'touch child-ran'
    expect_status 1
    [ ! -e child-ran ] || fail "the child ran with a partial environment"
}

test_vault_namespace_header() {
    vault_fixture || return
    ns="ns$RANDOM$RANDOM"
    bao_api POST "sys/namespaces/$ns" >/dev/null
    curl -fsS -X POST -H 'X-Vault-Token: root' -H "X-Vault-Namespace: $ns" "$BAO_URL/v1/sys/mounts/kvns" \
        -d '{"type":"kv","options":{"version":"2"}}' >/dev/null || { fail "namespace mount"; return; }
    sed -i "s/      mount: $VAULT_MOUNT/      mount: kvns\n      namespace: $ns/" atmos.yaml
    run_cloak set STACK_TOKEN=in-namespace -s dev
    expect_status 0
    got=$(bao_api GET "$ns/kvns/data/cloak/dev/STACK_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["data"]["value"])')
    [ "$got" = "in-namespace" ] || fail "namespace holds: $got"
    run_cloak get STACK_TOKEN -s dev --mask=false
    expect_out "in-namespace"
}

test_vault_tls_cacert_and_skip_verify() {
    vault_fixture || return
    TLS_URL=$(BAO_TLS=1 BAO_STATE_DIR="$VAULT_TLS_STATE" "$ROOT/integration/servers/openbao.sh" start "$VAULT_TLS_PORT") \
        || { fail "TLS openbao did not start"; return; }
    curl -fsS --cacert "$VAULT_TLS_STATE/tls/vault-ca.pem" -X POST -H 'X-Vault-Token: root' "$TLS_URL/v1/sys/mounts/$VAULT_MOUNT" \
        -d '{"type":"kv","options":{"version":"2"}}' >/dev/null 2>&1 || true
    export VAULT_ADDR="$TLS_URL"
    run_cloak set STACK_TOKEN=over-tls -s dev
    expect_status 1
    expect_err_contains "TLS handshake or certificate verification failed"
    expect_err_lines 1
    VAULT_CACERT="$VAULT_TLS_STATE/tls/vault-ca.pem" run_cloak set STACK_TOKEN=over-tls -s dev
    expect_status 0
    VAULT_SKIP_VERIFY=true run_cloak get STACK_TOKEN -s dev --mask=false
    expect_status 0
    expect_out "over-tls"
}

test_vault_userpass_auth() {
    vault_fixture || return
    vault_set_all
    bao_api PUT "sys/policies/acl/$VAULT_MOUNT-all" "{\"policy\":\"path \\\"$VAULT_MOUNT/*\\\" { capabilities = [\\\"read\\\",\\\"create\\\",\\\"update\\\",\\\"delete\\\"] }\"}" >/dev/null
    bao_api POST sys/auth/userpass '{"type":"userpass"}' >/dev/null 2>&1 || true
    bao_api POST "auth/userpass/users/$VAULT_MOUNT" "{\"password\":\"up-pass-1\",\"token_policies\":[\"$VAULT_MOUNT-all\"]}" >/dev/null
    cat >>atmos.yaml <<YAML
      auth:
        method: userpass
        username: $VAULT_MOUNT
        password_env: CI_VAULT_PASSWORD
YAML
    unset VAULT_TOKEN
    export CI_VAULT_PASSWORD=up-pass-1
    run_cloak set API_TOKEN=via-userpass -s dev -c secret-consumer
    expect_status 0
    run_cloak get API_TOKEN -s dev -c secret-consumer --mask=false
    expect_status 0
    expect_out "via-userpass"
    export CI_VAULT_PASSWORD=not-it
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "vault userpass login"
    expect_err_lines 1
    [[ "$err" != *not-it* ]] || fail "the password leaked into the error"
    unset CI_VAULT_PASSWORD
    run_cloak get API_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains "password_env names CI_VAULT_PASSWORD, which is not set"
}

test_vault_store_functions_read_a_non_secret_mount() {
    vault_fixture || return
    # What other tools wrote under a mount: a `value` field, or a whole data map (read as a map); !store.get reads
    # prefix/KEY, as upstream.
    cat >>atmos.yaml <<YAML
  outputs:
    kind: hashicorp/vault
    options:
      mount: $VAULT_MOUNT
      prefix: outputs
YAML
    cat >>stacks/deploy/dev.yaml <<'YAML'

components:
  terraform:
    reader:
      env:
        VPC_ID: !store outputs vpc vpc_id
        DB_PORT: !store outputs vpc network | query .port
        NETWORK: !store outputs vpc network
        ENDPOINT: !store.get outputs shared/endpoint
        REGION: !store outputs vpc region | default eu-central-1
    reader-missing:
      vars:
        missing: !store outputs vpc nothing_written
YAML
    bao_api POST "$VAULT_MOUNT/data/outputs/dev/vpc/vpc_id" '{"data":{"value":"vpc-v-1"}}' >/dev/null
    bao_api POST "$VAULT_MOUNT/data/outputs/dev/vpc/network" '{"data":{"host":"db.internal","port":5432}}' >/dev/null
    bao_api POST "$VAULT_MOUNT/data/outputs/shared/endpoint" '{"data":{"value":"https://v.example.test"}}' >/dev/null
    run_cloak exec -s dev -c reader -- env
    expect_status 0
    for line in VPC_ID=vpc-v-1 DB_PORT=5432 'NETWORK={"host":"db.internal","port":5432}' \
        ENDPOINT=https://v.example.test REGION=eu-central-1; do
        grep -qxF "$line" <<<"$out" || fail "exec env lacks $line"
    done
    run_cloak exec -s dev -c reader-missing -- true
    expect_status 1
    expect_err_contains 'error: !store: key "outputs/dev/vpc/nothing_written" not found in store "outputs"'
    expect_err_lines 1
}
