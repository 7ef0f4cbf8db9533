# gcp/secretmanager against integration/fakes/fake_gcp_secretmanager.py (REST v1 + an OAuth token endpoint), with
# the service-account JWT flow end to end.

# store_py: a Python with `cryptography` (the test venv's when it has it).
store_py() {
    if [ -x "$ROOT/.venv-test/bin/python" ] && "$ROOT/.venv-test/bin/python" -c 'import cryptography' 2>/dev/null; then
        "$ROOT/.venv-test/bin/python" "$@"
    else
        python3 "$@"
    fi
}

GCP_PORT="${GCP_PORT:-8470}"
eval "_gcp_prev_exit=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_gcp_prev_exit:+$_gcp_prev_exit; }\"\$ROOT/integration/servers/fake-server.sh\" stop gcp >/dev/null 2>&1 || true" EXIT

gcp_fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/gcp-secrets/." "$d/"
    cd "$d"
    sed -i "s/GCP_PORT/$GCP_PORT/" atmos.yaml
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config"
    mkdir -p "$HOME"
    unset GOOGLE_OAUTH_ACCESS_TOKEN GOOGLE_CLOUD_PROJECT
    export GCE_METADATA_HOST=127.0.0.1:1
    GCP_URL="http://127.0.0.1:$GCP_PORT"
    store_py - "$GCP_URL" <<'PY'
import json, sys
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import serialization
k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pem = k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
json.dump({"type": "service_account", "project_id": "test-proj", "private_key_id": "k1", "private_key": pem,
           "client_email": "cloak@test-proj.iam.gserviceaccount.com", "client_id": "1",
           "token_uri": sys.argv[1] + "/token"}, open("sa.json", "w"))
json.dump({"type": "authorized_user", "client_id": "cid", "client_secret": "fake-client-secret",
           "refresh_token": "fake-refresh-token", "token_uri": sys.argv[1] + "/token"}, open("user.json", "w"))
open("subject.jwt", "w").write("subject-token-from-ci\n")
json.dump({"type": "external_account", "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/x",
           "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": sys.argv[1] + "/token",
           "credential_source": {"file": "subject.jwt"}}, open("wif.json", "w"))
PY
    "$ROOT/integration/servers/fake-server.sh" start gcp "$GCP_URL/__stats" fake_gcp_secretmanager.py "$GCP_PORT" "$PWD/sa.json" subject-token-from-ci \
        || { fail "fake gcp did not start"; return 1; }
    export GOOGLE_APPLICATION_CREDENTIALS="$PWD/sa.json"
}

gcp_access() {
    curl -fsS -H "Authorization: Bearer $(curl -fsS -X POST --data "grant_type=refresh_token&refresh_token=fake-refresh-token&client_secret=fake-client-secret" "$GCP_URL/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')" \
        "$GCP_URL/v1/projects/test-proj/$1" | python3 -c 'import json,sys,base64; print(base64.b64decode(json.load(sys.stdin)["payload"]["data"]).decode())'
}

test_gcp_service_account_flow_every_scope() {
    gcp_fixture || return
    run_cloak set API_KEY=gsm-key-1 -s dev -c api
    expect_status 0
    run_cloak set STACK_TOKEN=stack-1 -s dev
    expect_status 0
    run_cloak set GLOBAL_TOKEN=global-1 -s dev -c api
    expect_status 0
    run_cloak set 'app/config={"a":1}' -s dev -c api
    expect_status 0
    # Names per KeyComposition.gcp, values JSON-encoded.
    [ "$(gcp_access secrets/cloak_dev_api_API_KEY/versions/latest:access)" = '"gsm-key-1"' ] || fail "API_KEY stored as $(gcp_access secrets/cloak_dev_api_API_KEY/versions/latest:access)"
    [ "$(gcp_access secrets/cloak_dev_STACK_TOKEN/versions/latest:access)" = '"stack-1"' ] || fail "stack secret name"
    [ "$(gcp_access secrets/cloak_GLOBAL_TOKEN/versions/latest:access)" = '"global-1"' ] || fail "global secret name"
    [ "$(gcp_access secrets/cloak_dev_api_app_config/versions/latest:access)" = '"{\"a\":1}"' ] || fail "slash cleanup"
    run_cloak set API_KEY=gsm-key-2 -s dev -c api
    expect_status 0
    run_cloak get API_KEY -s dev -c api --mask=false
    expect_status 0
    expect_out "gsm-key-2"
    run_cloak get STACK_TOKEN -s dev --mask=false
    expect_out "stack-1"
    run_cloak list -s dev -c api --verify
    expect_out_contains "API_KEY	instance	store:gsm	initialized"
    expect_out_contains "REGIONAL_KEY	instance	store:gsm-regional	missing"
    run_cloak validate -s dev -c api
    expect_status 0
    run_cloak pull -s dev -c api --mask=false
    expect_out_contains "GLOBAL_TOKEN=global-1"
    # One JWT grant per store per run (each store caches its token; two stores are read here).
    before=$(curl -fsS "$GCP_URL/__stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token_grants"])')
    run_cloak pull -s dev -c api --mask=false
    after=$(curl -fsS "$GCP_URL/__stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token_grants"])')
    [ $((after - before)) -eq 2 ] || fail "expected two token grants per run, saw $((after - before))"
}

test_gcp_regional_delete_and_missing() {
    gcp_fixture || return
    run_cloak set REGIONAL_KEY=eu-1 -s dev -c api
    expect_status 0
    [ "$(gcp_access locations/europe-west1/secrets/dev_api_REGIONAL_KEY/versions/latest:access)" = '"eu-1"' ] || fail "regional path"
    run_cloak get REGIONAL_KEY -s dev -c api --mask=false
    expect_out "eu-1"
    run_cloak delete REGIONAL_KEY -s dev -c api --force
    expect_status 0
    run_cloak get REGIONAL_KEY -s dev -c api
    expect_status 1
    expect_err_contains 'secret "dev_api_REGIONAL_KEY" not found in store "gsm-regional"'
    run_cloak delete REGIONAL_KEY -s dev -c api --force
    expect_status 1
    expect_err_lines 1
}

test_gcp_authorized_user_external_account_and_bad_key() {
    gcp_fixture || return
    export GOOGLE_APPLICATION_CREDENTIALS="$PWD/user.json"
    run_cloak set API_KEY=from-user -s dev -c api
    expect_status 0
    export GOOGLE_APPLICATION_CREDENTIALS="$PWD/wif.json"
    run_cloak get API_KEY -s dev -c api --mask=false
    expect_status 0
    expect_out "from-user"
    echo "other-subject" > subject.jwt
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "gcp sts token exchange: bad request (HTTP 400)"
    expect_err_lines 1
    # A service account whose key the server does not know: the JWT signature is refused.
    store_py -c '
import json
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import serialization
sa = json.load(open("sa.json"))
sa["private_key"] = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()
json.dump(sa, open("other.json", "w"))'
    export GOOGLE_APPLICATION_CREDENTIALS="$PWD/other.json"
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "gcp service account token (cloak@test-proj.iam.gserviceaccount.com): bad request (HTTP 400)"
    [[ "$err" != *"Invalid JWT"* ]] || fail "error echoes the body"
    unset GOOGLE_APPLICATION_CREDENTIALS
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "no Google credentials"
    GOOGLE_OAUTH_ACCESS_TOKEN=not-issued run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "not authenticated (HTTP 401)"
}

GCP_PROXY_PORT="${GCP_PROXY_PORT:-8476}"
eval "_gcp_prev_exit2=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_gcp_prev_exit2:+$_gcp_prev_exit2; }\"\$ROOT/integration/servers/fault-proxy.sh\" stop $GCP_PROXY_PORT >/dev/null 2>&1 || true" EXIT

test_gcp_fault_matrix_through_proxy() {
    gcp_fixture || return
    run_cloak set API_KEY=k1 -s dev -c api
    expect_status 0
    GPROXY=$("$ROOT/integration/servers/fault-proxy.sh" start "$GCP_URL" "$GCP_PROXY_PORT") || { fail "proxy did not start"; return; }
    sed -i "s|      endpoint: http://127.0.0.1:$GCP_PORT|      endpoint: $GPROXY|" atmos.yaml
    gmode() { curl -fsS -X POST "$GPROXY/__reset" >/dev/null; curl -fsS -X POST --data "$1" "$GPROXY/__fault" >/dev/null; }
    gcount() { curl -fsS "$GPROXY/__count"; }
    gmode "429-first:2"
    run_cloak get API_KEY -s dev -c api --mask=false
    expect_status 0
    expect_out "k1"
    [ "$(gcount)" = "3" ] || fail "expected 3 requests, proxy saw $(gcount)"
    gmode 429
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains 'gcp secretmanager access "cloak_dev_api_API_KEY": throttled (HTTP 429) after 3 attempts'
    expect_err_lines 1
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    gmode 500
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "server error (HTTP 500) after 3 attempts"
    gmode reset
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "connection was reset after 3 attempts"
    expect_err_lines 1
    gmode malformed
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "the response is not valid JSON"
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    gmode "huge:50"
    start=$(date +%s)
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "response is larger than 10 MB"
    [ $(( $(date +%s) - start )) -le 10 ] || fail "huge body not cut short"
    gmode "delay:5"
    sed -i "s|      endpoint: $GPROXY|      endpoint: $GPROXY\n      timeout: 1\n      max_attempts: 2|" atmos.yaml
    start=$(date +%s)
    run_cloak get API_KEY -s dev -c api
    expect_status 1
    expect_err_contains "request timed out after 2 attempts"
    [ $(( $(date +%s) - start )) -le 5 ] || fail "timeout not bounded"
    gmode 500
    run_cloak validate -s dev -c api
    expect_status 1
    run_cloak exec -s dev -c api -- sh -c 'touch child-ran'
    expect_status 1
    [ ! -e child-ran ] || fail "the child ran with a partial environment"
}

# The sops gcp_kms key type: a file made by the real sops with age is re-keyed to a gcp_kms entry (the data key,
# unwrapped with the age CLI, is wrapped by the fake KMS), then cloak must decrypt and edit it through the fake.
test_gcp_sops_gcp_kms_key_type() {
    gcp_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    age-keygen -o age.txt 2>/dev/null
    recipient=$(grep -o 'age1[0-9a-z]*' age.txt | head -1)
    printf '{"db_password": "kms-secret-1", "n": 2}\n' >plain.json
    SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -e --age "$recipient" plain.json >enc.json || { fail "sops -e failed"; return; }
    rid=projects/test-proj/locations/global/keyRings/cloak/cryptoKeys/sops
    tok=$(curl -fsS -X POST --data "grant_type=refresh_token&refresh_token=fake-refresh-token&client_secret=fake-client-secret" "$GCP_URL/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    store_py - "$GCP_URL" "$rid" "$tok" <<'PY' || { fail "rewrap failed"; return; }
import base64, json, subprocess, sys, urllib.request
doc = json.load(open("enc.json"))
dk = subprocess.run(["age", "-d", "-i", "age.txt"], input=doc["sops"]["age"][0]["enc"].encode(), capture_output=True, check=True).stdout
req = urllib.request.Request(sys.argv[1] + "/v1/" + sys.argv[2] + ":encrypt",
    data=json.dumps({"plaintext": base64.b64encode(dk).decode()}).encode(),
    headers={"Authorization": "Bearer " + sys.argv[3], "Content-Type": "application/json"})
ct = json.load(urllib.request.urlopen(req))["ciphertext"]
del doc["sops"]["age"]
doc["sops"]["gcp_kms"] = [{"resource_id": sys.argv[2], "created_at": "2026-01-01T00:00:00Z", "enc": ct}]
json.dump(doc, open("kms.enc.json", "w"), indent=4)
PY
    export CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS="$GCP_URL/"
    unset SOPS_AGE_KEY_FILE SOPS_AGE_KEY
    run_cloak sops decrypt kms.enc.json
    expect_status 0
    expect_out_contains '"db_password": "kms-secret-1"'
    run_cloak sops set kms.enc.json '["db_password"]' '"rotated-2"'
    expect_status 0
    run_cloak sops decrypt kms.enc.json
    expect_out_contains '"db_password": "rotated-2"'
    sed -i 's|cryptoKeys/sops|cryptoKeys/other|' kms.enc.json
    run_cloak sops decrypt kms.enc.json
    expect_status 1
    expect_err_contains "gcp kms decrypt projects/test-proj/locations/global/keyRings/cloak/cryptoKeys/other: bad request (HTTP 400)"
    expect_err_lines 1
}

test_gcp_store_functions_read_a_non_secret_store() {
    gcp_fixture || return
    # A non-secret store over the same project and prefix reads what the secret store wrote (same names, same
    # JSON encoding as upstream): !store composes the id, !store.get adds the prefix (`cloak_KEY`), as upstream.
    cat >>atmos.yaml <<YAML
  gsm-outputs:
    kind: gcp/secretmanager
    options:
      project_id: test-proj
      prefix: cloak
      endpoint: http://127.0.0.1:$GCP_PORT
YAML
    cat >>stacks/deploy/dev.yaml <<'YAML'
    vpc:
      secrets:
        vars:
          vpc_id: { store: gsm }
          shared_endpoint: { store: gsm, scope: global }
    reader:
      env:
        VPC_ID: !store gsm-outputs vpc vpc_id
        ENDPOINT: !store.get gsm-outputs shared_endpoint
        REGION: !store gsm-outputs vpc region | default europe-west1
    reader-missing:
      vars:
        missing: !store gsm-outputs vpc nothing_written
    reader-secret-store:
      vars:
        id: !store gsm vpc vpc_id
YAML
    run_cloak set vpc_id=vpc-g-1 -s dev -c vpc
    expect_status 0
    run_cloak set shared_endpoint=https://g.example.test -s dev -c vpc
    expect_status 0
    run_cloak exec -s dev -c reader -- env
    expect_status 0
    for line in VPC_ID=vpc-g-1 ENDPOINT=https://g.example.test REGION=europe-west1; do
        grep -qxF "$line" <<<"$out" || fail "exec env lacks $line"
    done
    run_cloak exec -s dev -c reader-missing -- true
    expect_status 1
    expect_err_contains 'error: !store: key "cloak_dev_vpc_nothing_written" not found in store "gsm-outputs"'
    expect_err_lines 1
    run_cloak exec -s dev -c reader-secret-store -- true
    expect_status 1
    expect_err_contains 'store is a secret store; use !secret instead of !store: store "gsm"'
}
