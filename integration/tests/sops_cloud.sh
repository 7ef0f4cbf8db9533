# Creating SOPS files whose data key is wrapped by cloud keys: `cloak sops encrypt` key flags and `.sops.yaml`
# creation rules with kms (moto, through aws_fixture/aws_py of aws.sh) and hc_vault transit (OpenBao, through
# vault_fixture/bao_api of vault.sh). The real sops binary must decrypt what cloak writes. gcp_kms and azure_kv go
# through the fakes of gcp.sh/azure.sh (sops cannot reach them), so the data key is unwrapped by the fake and the value
# opened in Python instead.

# real_sops ARGS…: the real sops, without its version check.
real_sops() { SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" "$@"; }

test_sops_cloud_encrypt_kms_flags_real_sops_decrypts() {
    aws_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    arn=$(aws_py 'print(kms.create_key(Description="cloak")["KeyMetadata"]["Arn"])')
    printf 'db_password: kms-secret-1\napi: {token: t0k}\n' >kms.yaml
    run_cloak sops encrypt --kms "$arn" --encryption-context app:cloak -i kms.yaml
    expect_status 0
    grep -q "arn: $arn" kms.yaml || fail "no kms entry for $arn"
    grep -q 'app: cloak' kms.yaml || fail "no encryption context"
    grep -q 'aws_profile: ""' kms.yaml || fail "no aws_profile field"
    grep -q 'kms-secret-1' kms.yaml && fail "plaintext left in the file"
    got=$(real_sops -d --extract '["db_password"]' kms.yaml) || fail "sops -d failed"
    [ "$got" = "kms-secret-1" ] || fail "sops -d: $got"
    # KMS binds the context: with another one sops cannot unwrap the data key.
    sed 's/app: cloak/app: other/' kms.yaml >other.yaml
    real_sops -d other.yaml >/dev/null 2>&1 && fail "sops decrypted with a wrong encryption context"
    # arn+role: the role is recorded and assumed (moto's STS) by both cloak and sops.
    role="arn:aws:iam::123456789012:role/sops-writer"
    printf 'k: v\n' >role.yaml
    run_cloak sops encrypt --kms "$arn+$role" -i role.yaml
    expect_status 0
    grep -q "role: $role" role.yaml || fail "no role recorded"
    [ "$(real_sops -d --extract '["k"]' role.yaml)" = "v" ] || fail "sops -d of the arn+role file"
    run_cloak sops encrypt --kms not-an-arn role.yaml
    expect_status 1
    expect_err_contains "kms key 'not-an-arn' is not a key ARN"
}

test_sops_cloud_kms_aws_profile_flag_and_rule() {
    aws_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    arn=$(aws_py 'print(kms.create_key(Description="profile")["KeyMetadata"]["Arn"])')
    # Credentials only in a named profile: encrypting and decrypting both have to use aws_profile.
    mkdir -p "$HOME/.aws"
    printf '[sopsprof]\naws_access_key_id = testing\naws_secret_access_key = testing\n' >"$HOME/.aws/credentials"
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    printf 'k: by-flag\n' >flag.yaml
    run_cloak sops encrypt --kms "$arn" --aws-profile sopsprof -i flag.yaml
    expect_status 0
    grep -q 'aws_profile: sopsprof' flag.yaml || fail "aws_profile not recorded"
    [ "$(real_sops -d --extract '["k"]' flag.yaml)" = "by-flag" ] || fail "sops -d with the profile"
    printf 'creation_rules:\n  - kms: %s\n    aws_profile: sopsprof\n' "$arn" >.sops.yaml
    printf 'k: by-rule\n' >rule.yaml
    run_cloak sops encrypt -i rule.yaml
    expect_status 0
    grep -q 'aws_profile: sopsprof' rule.yaml || fail "aws_profile of the rule not recorded"
    [ "$(real_sops -d --extract '["k"]' rule.yaml)" = "by-rule" ] || fail "sops -d of the rule file"
    printf 'k: v\n' >noprofile.yaml
    run_cloak sops encrypt --kms "$arn" noprofile.yaml
    expect_status 1
    expect_err_contains "no AWS credentials found"
    expect_err_lines 1
    run_cloak sops encrypt --aws-profile sopsprof noprofile.yaml
    expect_status 1
    expect_err_contains "--aws-profile applies to --kms keys; give --kms too"
}

test_sops_cloud_kms_creation_rule_real_sops_decrypts() {
    aws_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    arn=$(aws_py 'print(kms.create_key(Description="flat")["KeyMetadata"]["Arn"])')
    arn2=$(aws_py 'print(kms.create_key(Description="group")["KeyMetadata"]["Arn"])')
    age-keygen -o age.txt 2>/dev/null
    recipient=$(age-keygen -y age.txt)
    mkdir -p flat groups
    cat >.sops.yaml <<YAML
creation_rules:
  - path_regex: ^flat/
    encrypted_regex: ^secret
    kms: $arn
  - path_regex: ^groups/
    shamir_threshold: 2
    key_groups:
      - kms:
          - arn: $arn2
            context: {team: infra}
      - age: [$recipient]
YAML
    printf 'secret_token: flat-1\nplain: visible\n' >flat/app.yaml
    run_cloak sops encrypt -i flat/app.yaml
    expect_status 0
    grep -q 'plain: visible' flat/app.yaml || fail "encrypted_regex of the rule not applied"
    grep -q "arn: $arn" flat/app.yaml || fail "no kms entry from the rule"
    [ "$(real_sops -d --extract '["secret_token"]' flat/app.yaml)" = "flat-1" ] || fail "sops -d of the flat rule file"
    printf 'secret_token: group-1\n' >groups/app.yaml
    run_cloak sops encrypt -i groups/app.yaml
    expect_status 0
    grep -q 'shamir_threshold: 2' groups/app.yaml || fail "no shamir threshold"
    grep -q 'team: infra' groups/app.yaml || fail "no group kms context"
    got=$(SOPS_AGE_KEY_FILE="$PWD/age.txt" real_sops -d --extract '["secret_token"]' groups/app.yaml) || fail "sops -d (shamir)"
    [ "$got" = "group-1" ] || fail "sops -d of the shamir file: $got"
    # Without the age part only one of two shares is available.
    SOPS_AGE_KEY_FILE=/dev/null real_sops -d groups/app.yaml >/dev/null 2>&1 && fail "decrypted with one share of two"
    # A typo in a rule is an error at its line, not a file for fewer keys.
    printf 'creation_rules:\n  - path_regex: ^flat/\n    kms_arn: %s\n' "$arn" >.sops.yaml
    printf 'secret_token: x\n' >flat/typo.yaml
    run_cloak sops encrypt flat/typo.yaml
    expect_status 1
    expect_err_contains ".sops.yaml:3:5: error: unknown creation rule key 'kms_arn'"
}

test_sops_cloud_cloak_set_creates_file_by_kms_rule() {
    aws_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    arn=$(aws_py 'print(kms.create_key(Description="set")["KeyMetadata"]["Arn"])')
    cp -r "$ROOT/integration/fixtures/sops-secrets/." .
    rm -f secrets/dev.enc.yaml
    printf 'creation_rules:\n  - path_regex: secrets/.*\\.enc\\.yaml$\n    kms: %s\n' "$arn" >.sops.yaml
    run_cloak set DATADOG_API_KEY=dd-kms-1 -s dev -c api
    expect_status 0
    grep -q "arn: $arn" secrets/dev.enc.yaml || fail "the new file is not wrapped by the rule's kms key"
    [ "$(real_sops -d --extract '["DATADOG_API_KEY"]' secrets/dev.enc.yaml)" = "dd-kms-1" ] || fail "sops -d of the set file"
}

test_sops_cloud_vault_transit_flag_and_rule_real_sops_decrypts() {
    vault_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    bao_api POST sys/mounts/sops/transit '{"type":"transit"}' >/dev/null 2>&1 || true
    bao_api POST sops/transit/keys/cloak >/dev/null 2>&1 || true
    uri="$BAO_URL/v1/sops/transit/keys/cloak"
    printf 'db_password: vault-secret-1\n' >flag.yaml
    run_cloak sops encrypt --hc-vault-transit "$uri" -i flag.yaml
    expect_status 0
    grep -q 'engine_path: sops/transit' flag.yaml || fail "no hc_vault entry"
    [ "$(real_sops -d --extract '["db_password"]' flag.yaml)" = "vault-secret-1" ] || fail "sops -d of the flag file"
    printf 'creation_rules:\n  - hc_vault_transit_uri: %s\n' "$uri" >.sops.yaml
    printf '{"db_password": "vault-secret-2"}\n' >rule.json
    run_cloak sops encrypt -i rule.json
    expect_status 0
    [ "$(real_sops -d --extract '["db_password"]' rule.json)" = "vault-secret-2" ] || fail "sops -d of the rule file"
    printf 'k: v\n' >denied.yaml
    VAULT_TOKEN=bad run_cloak sops encrypt --hc-vault-transit "$uri" denied.yaml
    expect_status 1
    expect_err_contains "vault transit encrypt cloak: permission denied (HTTP 403)"
    expect_err_lines 1
}

# sops_value_py FILE KEY: decrypts top-level KEY of a JSON SOPS FILE with the data key (base64) on stdin, in Python
# with `cryptography` only — an unwrap independent of cloak's AES-GCM code.
sops_value_py() {
    local key; key=$(cat)
    store_py - "$1" "$2" "$key" <<'PY'
import base64, json, re, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
key = base64.b64decode(sys.argv[3])
enc = json.load(open(sys.argv[1]))[sys.argv[2]]
m = re.fullmatch(r"ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:(.*)\]", enc)
data, iv, tag = (base64.b64decode(m.group(i)) for i in (1, 2, 3))
print(AESGCM(key).decrypt(iv, data + tag, (sys.argv[2] + ":").encode()).decode())
PY
}

test_sops_cloud_gcp_kms_flag_through_fake() {
    gcp_fixture || return
    export CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS="$GCP_URL/"
    rid=projects/test-proj/locations/global/keyRings/cloak/cryptoKeys/sops
    printf '{"db_password": "gcp-secret-1"}\n' >gcp.json
    run_cloak sops encrypt --gcp-kms "$rid" -i gcp.json
    expect_status 0
    run_cloak sops decrypt gcp.json
    expect_status 0
    expect_out_contains '"db_password": "gcp-secret-1"'
    # The fake's own decrypt unwraps the data key; Python then opens the value with it.
    tok=$(curl -fsS -X POST --data "grant_type=refresh_token&refresh_token=fake-refresh-token&client_secret=fake-client-secret" "$GCP_URL/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    enc=$(python3 -c 'import json; e = json.load(open("gcp.json"))["sops"]["gcp_kms"][0]; assert e["resource_id"] and e["created_at"]; print(e["enc"])') \
        || { fail "no gcp_kms entry"; return; }
    got=$(curl -fsS -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' --data "{\"ciphertext\": \"$enc\"}" \
        "$GCP_URL/v1/$rid:decrypt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["plaintext"])' | sops_value_py gcp.json db_password)
    [ "$got" = "gcp-secret-1" ] || fail "independent unwrap: $got"
}

test_sops_cloud_azure_keyvault_rule_through_fake() {
    azure_fixture || return
    export SSL_CERT_FILE="$PWD/ca.pem"
    printf 'creation_rules:\n  - path_regex: \\.json$\n    azure_keyvault: %s/keys/sops\n' "$AZ_URL" >.sops.yaml
    printf '{"db_password": "kv-secret-2"}\n' >kv.json
    run_cloak sops encrypt -i kv.json
    expect_status 0
    grep -q '"vault_url": "https://127.0.0.1' kv.json || fail "no azure_kv entry"
    run_cloak sops decrypt kv.json
    expect_status 0
    expect_out_contains '"db_password": "kv-secret-2"'
    tok=$(curl -fsS --cacert ca.pem -X POST --data 'grant_type=client_credentials&client_id=x&client_secret=fake-secret&scope=https%3A%2F%2F127.0.0.1%2F.default' "$AZ_URL/72f988bf-fake-tenant/oauth2/v2.0/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    enc=$(python3 -c 'import json; print(json.load(open("kv.json"))["sops"]["azure_kv"][0]["enc"])')
    got=$(curl -fsS --cacert ca.pem -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
        --data "{\"alg\": \"RSA-OAEP-256\", \"value\": \"$enc\"}" "$AZ_URL/keys/sops//decrypt?api-version=7.4" \
        | python3 -c 'import base64,json,sys; v = json.load(sys.stdin)["value"]; print(base64.b64encode(base64.urlsafe_b64decode(v + "=" * (-len(v) % 4))).decode())' \
        | sops_value_py kv.json db_password)
    [ "$got" = "kv-secret-2" ] || fail "independent unwrap: $got"
}
