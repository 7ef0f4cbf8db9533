# azure/keyvault against integration/fakes/fake_azure_keyvault.py over HTTPS with a test CA made here (openssl),
# honouring Key Vault's 401 Bearer challenge.

# store_py: a Python with `cryptography` (the test venv's when it has it).
store_py() {
    if [ -x "$ROOT/.venv-test/bin/python" ] && "$ROOT/.venv-test/bin/python" -c 'import cryptography' 2>/dev/null; then
        "$ROOT/.venv-test/bin/python" "$@"
    else
        python3 "$@"
    fi
}

AZ_PORT="${AZ_PORT:-8471}"
eval "_az_prev_exit=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_az_prev_exit:+$_az_prev_exit; }\"\$ROOT/integration/servers/fake-server.sh\" stop azure >/dev/null 2>&1 || true" EXIT

azure_fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/azure-secrets/." "$d/"
    cd "$d"
    sed -i "s/AZ_PORT/$AZ_PORT/" atmos.yaml
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config"
    mkdir -p "$HOME"
    # A throwaway CA and a server certificate for IP 127.0.0.1.
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=cloak test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >ext.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
    AZ_URL="https://127.0.0.1:$AZ_PORT"
    "$ROOT/integration/servers/fake-server.sh" start azure "$AZ_URL/__stats" fake_azure_keyvault.py "$AZ_PORT" "$PWD/server.pem" "$PWD/server.key" \
        || { fail "fake azure did not start"; return 1; }
    export AZURE_AUTHORITY_HOST="$AZ_URL" AZURE_TENANT_ID=72f988bf-fake-tenant AZURE_CLIENT_ID=cloak-ci AZURE_CLIENT_SECRET=fake-secret
    export IMDS_ENDPOINT=http://127.0.0.1:1
    unset AZURE_FEDERATED_TOKEN_FILE
}

az_stat() { curl -fsS --cacert ca.pem "$AZ_URL/__stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
az_value() {
    local tok; tok=$(curl -fsS --cacert ca.pem -X POST --data 'grant_type=client_credentials&client_id=x&client_secret=fake-secret&scope=https%3A%2F%2Fvault.azure.net%2F.default' "$AZ_URL/72f988bf-fake-tenant/oauth2/v2.0/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -fsS --cacert ca.pem -H "Authorization: Bearer $tok" "$AZ_URL/secrets/$1/?api-version=7.4" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"])'
}

test_azure_challenge_client_secret_every_scope() {
    azure_fixture || return
    run_cloak set DATADOG_API_KEY=dd-1 -s dev -c api
    expect_status 0
    run_cloak set STACK_TOKEN=stack-1 -s dev
    expect_status 0
    run_cloak set GLOBAL_TOKEN=global-1 -s dev -c api
    expect_status 0
    # Names normalised per KeyComposition.azure; values JSON-encoded.
    [ "$(az_value dev-api-DATADOG-API-KEY)" = '"dd-1"' ] || fail "stored as $(az_value dev-api-DATADOG-API-KEY)"
    [ "$(az_value dev-STACK-TOKEN)" = '"stack-1"' ] || fail "stack name"
    [ "$(az_value GLOBAL-TOKEN)" = '"global-1"' ] || fail "global name"
    before=$(az_stat unauthenticated)
    run_cloak pull -s dev -c api --mask=false
    expect_status 0
    expect_out_contains "DATADOG_API_KEY=dd-1"
    expect_out_contains "STACK_TOKEN=stack-1"
    expect_out_contains "GLOBAL_TOKEN=global-1"
    after=$(az_stat unauthenticated)
    [ $((after - before)) -eq 1 ] || fail "expected one challenge per run, saw $((after - before))"
    run_cloak list -s dev -c api --verify
    expect_out_contains "DATADOG_API_KEY	instance	store:akv	initialized"
    run_cloak validate -s dev -c api
    expect_status 0
}

test_azure_delete_soft_delete_and_purge() {
    azure_fixture || return
    run_cloak set DATADOG_API_KEY=dd-1 -s dev -c api
    run_cloak delete DATADOG_API_KEY -s dev -c api --force
    expect_status 0
    run_cloak get DATADOG_API_KEY -s dev -c api
    expect_status 1
    expect_err_contains 'secret "dev-api-DATADOG-API-KEY" not found in store "akv"'
    run_cloak list -s dev -c api --verify
    expect_out_contains "DATADOG_API_KEY	instance	store:akv	missing"
    # Soft-deleted: the name cannot be written again until purged.
    run_cloak set DATADOG_API_KEY=dd-2 -s dev -c api
    expect_status 1
    expect_err_contains "deleted but recoverable"
    expect_err_lines 1
    run_cloak delete DATADOG_API_KEY -s dev -c api --force
    expect_status 1
    sed -i 's/      disable_challenge_resource_verification: true/      disable_challenge_resource_verification: true\n      purge_on_delete: true/' atmos.yaml
    run_cloak set STACK_TOKEN=s -s dev
    run_cloak delete STACK_TOKEN -s dev --force
    expect_status 0
    run_cloak set STACK_TOKEN=s2 -s dev
    expect_status 0
    run_cloak get STACK_TOKEN -s dev --mask=false
    expect_out "s2"
}

test_azure_workload_identity_managed_identity_and_errors() {
    azure_fixture || return
    run_cloak set DATADOG_API_KEY=dd-1 -s dev -c api
    unset AZURE_CLIENT_SECRET
    echo fake-federated-token >fed.jwt
    export AZURE_FEDERATED_TOKEN_FILE="$PWD/fed.jwt"
    run_cloak get DATADOG_API_KEY -s dev -c api --mask=false
    expect_status 0
    expect_out "dd-1"
    unset AZURE_FEDERATED_TOKEN_FILE AZURE_CLIENT_ID
    export IMDS_ENDPOINT="$AZ_URL"
    run_cloak get DATADOG_API_KEY -s dev -c api --mask=false
    expect_status 0
    expect_out "dd-1"
    export IMDS_ENDPOINT=http://127.0.0.1:1
    run_cloak get DATADOG_API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "no Azure credentials"
    export AZURE_CLIENT_ID=cloak-ci AZURE_CLIENT_SECRET=wrong
    run_cloak get DATADOG_API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "azure client secret token: not authenticated (HTTP 401)"
    expect_err_lines 1
    [[ "$err" != *AADSTS* ]] || fail "error echoes the body"
    # The default challenge verification refuses a resource that is not the vault's domain.
    export AZURE_CLIENT_SECRET=fake-secret
    sed -i '/disable_challenge_resource_verification/d' atmos.yaml
    run_cloak get DATADOG_API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "does not match the vault's domain"
    # Without the test CA, TLS verification fails.
    sed -i '/ca_bundle/d' atmos.yaml
    run_cloak get DATADOG_API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "TLS handshake or certificate verification failed"
}

test_azure_sops_azure_kv_key_type() {
    azure_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    age-keygen -o age.txt 2>/dev/null
    recipient=$(grep -o 'age1[0-9a-z]*' age.txt | head -1)
    printf '{"db_password": "kv-secret-1"}\n' >plain.json
    SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -e --age "$recipient" plain.json >enc.json || { fail "sops -e failed"; return; }
    tok=$(curl -fsS --cacert ca.pem -X POST --data 'grant_type=client_credentials&client_id=x&client_secret=fake-secret&scope=https%3A%2F%2F127.0.0.1%2F.default' "$AZ_URL/72f988bf-fake-tenant/oauth2/v2.0/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    store_py - "$AZ_URL" "$tok" <<'PY' || { fail "rewrap failed"; return; }
import base64, json, ssl, subprocess, sys, urllib.request
doc = json.load(open("enc.json"))
dk = subprocess.run(["age", "-d", "-i", "age.txt"], input=doc["sops"]["age"][0]["enc"].encode(), capture_output=True, check=True).stdout
req = urllib.request.Request(sys.argv[1] + "/keys/sops//encrypt?api-version=7.4",
    data=json.dumps({"alg": "RSA-OAEP-256", "value": base64.urlsafe_b64encode(dk).rstrip(b"=").decode()}).encode(),
    headers={"Authorization": "Bearer " + sys.argv[2], "Content-Type": "application/json"})
enc = json.load(urllib.request.urlopen(req, context=ssl.create_default_context(cafile="ca.pem")))["value"]
del doc["sops"]["age"]
doc["sops"]["azure_kv"] = [{"vault_url": sys.argv[1], "name": "sops", "version": "", "created_at": "2026-01-01T00:00:00Z", "enc": enc}]
json.dump(doc, open("kv.enc.json", "w"), indent=4)
PY
    export SSL_CERT_FILE="$PWD/ca.pem"
    unset SOPS_AGE_KEY_FILE SOPS_AGE_KEY
    run_cloak sops decrypt kv.enc.json
    expect_status 0
    expect_out_contains '"db_password": "kv-secret-1"'
    export AZURE_CLIENT_SECRET=wrong
    run_cloak sops decrypt kv.enc.json
    expect_status 1
    expect_err_contains "azure client secret token: not authenticated (HTTP 401)"
}

AZ_PROXY_PORT="${AZ_PROXY_PORT:-8477}"
eval "_az_prev_exit2=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_az_prev_exit2:+$_az_prev_exit2; }\"\$ROOT/integration/servers/fault-proxy.sh\" stop $AZ_PROXY_PORT >/dev/null 2>&1 || true" EXIT

# Key Vault behind the fault proxy (plain HTTP in front of the HTTPS fake; the token endpoint stays direct).
test_azure_fault_matrix_through_proxy() {
    azure_fixture || return
    run_cloak set DATADOG_API_KEY=dd-1 -s dev -c api
    expect_status 0
    APROXY=$(start_fault_proxy "$AZ_URL" "$AZ_PROXY_PORT") || { fail "proxy did not start"; return; }
    sed -i "s|      vault_url: $AZ_URL|      vault_url: $APROXY\n      insecure_allow_credential_with_http: true|" atmos.yaml
    # Two throttled answers, then the unauthenticated probe's 401 challenge, then the authorised read.
    http_fault_matrix "$APROXY" DATADOG_API_KEY dd-1 4 -- -s dev -c api
    sed -i "s|      vault_url: $APROXY|      vault_url: $APROXY\n      timeout: 1\n      max_attempts: 2|" atmos.yaml
    http_fault_timeout "$APROXY" DATADOG_API_KEY -- -s dev -c api
    stop_fault_proxy "$AZ_PROXY_PORT"
}

test_azure_store_functions_read_a_non_secret_store() {
    azure_fixture || return
    # A non-secret store on the same vault reads what the secret store wrote: !store composes and normalises the
    # name; !store.get only normalises the key (no prefix), as upstream.
    cat >>atmos.yaml <<YAML
  akv-outputs:
    kind: azure/keyvault
    options:
      vault_url: https://127.0.0.1:$AZ_PORT
      ca_bundle: ./ca.pem
      disable_challenge_resource_verification: true
YAML
    cat >>stacks/deploy/dev.yaml <<'YAML'
    vpc:
      secrets:
        vars:
          vpc_id: { store: akv }
          shared_endpoint: { store: akv, scope: global }
    reader:
      env:
        VPC_ID: !store akv-outputs vpc vpc_id
        ENDPOINT: !store.get akv-outputs shared/endpoint
        REGION: !store akv-outputs vpc region | default westeurope
    reader-missing:
      vars:
        missing: !store akv-outputs vpc nothing_written
YAML
    run_cloak set vpc_id=vpc-az-1 -s dev -c vpc
    expect_status 0
    run_cloak set shared_endpoint=https://az.example.test -s dev -c vpc
    expect_status 0
    run_cloak exec -s dev -c reader -- env
    expect_status 0
    for line in VPC_ID=vpc-az-1 ENDPOINT=https://az.example.test REGION=westeurope; do
        grep -qxF "$line" <<<"$out" || fail "exec env lacks $line"
    done
    run_cloak exec -s dev -c reader-missing -- true
    expect_status 1
    expect_err_contains 'error: !store: key "dev-vpc-nothing-written" not found in store "akv-outputs"'
    expect_err_lines 1
}
