# AWS stores (aws/ssm, aws/asm) and the sops kms key type against moto_server on 127.0.0.1, plus fault injection
# through integration/fakes/fault_proxy.py (aws flavour). Servers start on first use and stop when integration/run exits.

AWS_MOTO_PORT="${AWS_MOTO_PORT:-5055}"
AWS_PROXY_PORT="${AWS_PROXY_PORT:-5056}"
trap '"$ROOT/integration/servers/fault-proxy.sh" stop "$AWS_PROXY_PORT" >/dev/null 2>&1 || true; "$ROOT/integration/servers/moto.sh" stop >/dev/null 2>&1 || true' EXIT

# aws_fixture: a fresh copy of the aws-secrets fixture, fresh moto state, and an environment that can only reach
# 127.0.0.1 (instance metadata disabled, fake keys, endpoint = moto).
aws_fixture() {
    MOTO_URL=$("$ROOT/integration/servers/moto.sh" start "$AWS_MOTO_PORT") || { fail "moto did not start"; return 1; }
    "$ROOT/integration/servers/moto.sh" reset
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/aws-secrets/." "$d/"
    cd "$d"
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config"
    export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
    export AWS_ENDPOINT_URL="$MOTO_URL" AWS_REGION=us-east-1
    unset AWS_PROFILE AWS_SESSION_TOKEN AWS_MAX_ATTEMPTS
}

# aws_py CODE: runs Python with boto3 (moto's own interpreter when the test venv has it) against moto.
aws_py() {
    local py=python3
    [ -x "$ROOT/.venv-test/bin/python" ] && "$ROOT/.venv-test/bin/python" -c 'import boto3' 2>/dev/null && py="$ROOT/.venv-test/bin/python"
    MOTO_URL="$MOTO_URL" "$py" -c "
import boto3, os, json
kw = dict(endpoint_url=os.environ['MOTO_URL'], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
ssm = boto3.client('ssm', **kw); sm = boto3.client('secretsmanager', **kw); kms = boto3.client('kms', **kw)
$1"
}

proxy_up() {
    PROXY_URL=$("$ROOT/integration/servers/fault-proxy.sh" start "$MOTO_URL" "$AWS_PROXY_PORT" aws) || { fail "proxy did not start"; return 1; }
    curl -fsS -X POST "$PROXY_URL/__reset" >/dev/null
    export AWS_ENDPOINT_URL="$PROXY_URL"
}
proxy_mode() { curl -fsS -X POST --data "$1" "$PROXY_URL/__fault" >/dev/null; }
proxy_count() { curl -fsS "$PROXY_URL/__count"; }

test_aws_sc20_names_values_and_path() {
    aws_fixture || return
    run_cloak set SSM_INSTANCE_TOKEN=inst-token-1 -s dev -c secret-consumer
    expect_status 0
    run_cloak set SSM_STACK_TOKEN=stack-token-1 -s dev
    expect_status 0
    run_cloak set GLOBAL_SHARED_TOKEN=global-token-1 -s dev -c secret-consumer
    expect_status 0
    run_cloak set 'ASM_DATABASE_CONFIG={"username":"app","password":"dev-db-password"}' -s dev -c secret-consumer
    expect_status 0
    got=$(aws_py '
for n in ["P/dev/secret-consumer/SSM_INSTANCE_TOKEN", "P/dev/SSM_STACK_TOKEN", "P/GLOBAL_SHARED_TOKEN"]:
    p = ssm.get_parameter(Name=n, WithDecryption=True)["Parameter"]
    print(n, p["Type"], p["Value"])
print(sm.get_secret_value(SecretId="Q/dev/secret-consumer/ASM_DATABASE_CONFIG")["SecretString"])')
    expected='P/dev/secret-consumer/SSM_INSTANCE_TOKEN SecureString inst-token-1
P/dev/SSM_STACK_TOKEN SecureString stack-token-1
P/GLOBAL_SHARED_TOKEN SecureString global-token-1
{"username":"app","password":"dev-db-password"}'
    [ "$got" = "$expected" ] || fail "moto holds: $got"
    run_cloak get ASM_DATABASE_CONFIG -s dev -c secret-consumer --path .password --mask=false
    expect_status 0
    expect_out "dev-db-password"
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_out "<MASKED>"
    run_cloak get SSM_STACK_TOKEN -s dev --mask=false
    expect_out "stack-token-1"
    run_cloak get GLOBAL_SHARED_TOKEN -s dev -c secret-consumer --mask=false
    expect_out "global-token-1"
    run_cloak describe component secret-consumer -s dev --query .vars
    expect_status 0
    expect_out_contains "<MASKED>"
    expect_out_lacks "inst-token-1"
    expect_out_lacks "dev-db-password"
}

test_aws_list_verify_and_validate() {
    aws_fixture || return
    run_cloak list -s dev -c secret-consumer
    expect_status 0
    expect_out_contains "$(printf 'SSM_INSTANCE_TOKEN\tinstance\tstore:ssm\tunknown')"
    run_cloak validate -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'Missing required secret `ASM_DATABASE_CONFIG` (store:asm)'
    expect_err_contains 'Missing required secret `SSM_INSTANCE_TOKEN` (store:ssm)'
    run_cloak set SSM_INSTANCE_TOKEN=x -s dev -c secret-consumer
    run_cloak set ASM_DATABASE_CONFIG=plain -s dev -c secret-consumer
    run_cloak list -s dev -c secret-consumer --verify
    expect_status 0
    expect_out "$(printf '*\t*\tGLOBAL_SHARED_TOKEN\tglobal\tstore:ssm\tmissing\ndev\tsecret-consumer\tASM_DATABASE_CONFIG\tinstance\tstore:asm\tinitialized\ndev\tsecret-consumer\tSSM_INSTANCE_TOKEN\tinstance\tstore:ssm\tinitialized\ndev\t*\tSSM_STACK_TOKEN\tstack\tstore:ssm\tmissing')"
    run_cloak validate -s dev -c secret-consumer
    expect_status 0
}

test_aws_value_encoding_matches_atmos() {
    aws_fixture || return
    run_cloak set ASM_DATABASE_CONFIG=abc -s dev -c secret-consumer
    run_cloak set 'SSM_INSTANCE_TOKEN={"a":[1,2]}' -s dev -c secret-consumer
    got=$(aws_py '
print(sm.get_secret_value(SecretId="Q/dev/secret-consumer/ASM_DATABASE_CONFIG")["SecretString"])
print(ssm.get_parameter(Name="P/dev/secret-consumer/SSM_INSTANCE_TOKEN", WithDecryption=True)["Parameter"]["Value"])
ssm.put_parameter(Name="P/dev/SSM_STACK_TOKEN", Value="\"quoted\"", Type="SecureString")')
    [ "$got" = "$(printf '"abc"\n{"a":[1,2]}')" ] || fail "stored as: $got"
    run_cloak get ASM_DATABASE_CONFIG -s dev -c secret-consumer --mask=false
    expect_out "abc"
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer --path '.a[1]' --mask=false
    expect_out "2"
    run_cloak get SSM_STACK_TOKEN -s dev --mask=false
    expect_out "quoted"
}

test_aws_delete_and_missing_errors() {
    aws_fixture || return
    run_cloak set SSM_INSTANCE_TOKEN=gone-soon -s dev -c secret-consumer
    run_cloak set ASM_DATABASE_CONFIG=gone-soon -s dev -c secret-consumer
    run_cloak delete SSM_INSTANCE_TOKEN -s dev -c secret-consumer --force
    expect_status 0
    run_cloak delete ASM_DATABASE_CONFIG -s dev -c secret-consumer --force
    expect_status 0
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'parameter "P/dev/secret-consumer/SSM_INSTANCE_TOKEN" not found in store "ssm"'
    expect_err_lines 1
    run_cloak get ASM_DATABASE_CONFIG -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'secret "Q/dev/secret-consumer/ASM_DATABASE_CONFIG" not found in store "asm"'
    run_cloak delete SSM_INSTANCE_TOKEN -s dev -c secret-consumer --force
    expect_status 1
    expect_err_contains 'not found in store "ssm"'
    got=$(aws_py 'print(len(ssm.describe_parameters()["Parameters"]), len(sm.list_secrets()["SecretList"]))')
    [ "$got" = "0 0" ] || fail "left behind: $got"
}

test_aws_batch_reads_many_secrets() {
    aws_fixture || return
    # 25 SSM parameters and 25 ASM secrets read by `pull` in batches (GetParameters ×10, BatchGetSecretValue ×20).
    {
        echo "components:"; echo "  terraform:"; echo "    many:"; echo "      metadata: {component: secret-consumer}"
        echo "      secrets:"; echo "        vars:"
        for i in $(seq 1 25); do echo "          S$i: {store: ssm}"; echo "          A$i: {store: asm}"; done
    } >stacks/catalog/many.yaml
    printf 'vars:\n  stage: dev\nimport:\n  - catalog/secret-consumer\n  - catalog/many\n' >stacks/deploy/dev.yaml
    aws_py '
for i in range(1, 26):
    ssm.put_parameter(Name=f"P/dev/many/S{i}", Value=f"ssm-{i}", Type="SecureString")
    sm.create_secret(Name=f"Q/dev/many/A{i}", SecretString=f"\"asm-{i}\"")'
    run_cloak pull -s dev -c many --mask=false
    expect_status 0
    expect_out_contains "S1=ssm-1"
    expect_out_contains "S25=ssm-25"
    expect_out_contains "A1=asm-1"
    expect_out_contains "A25=asm-25"
    [ "$(printf '%s\n' "$out" | grep -c '^[SA][0-9]*=')" -eq 50 ] || fail "expected 50 values"
}

test_aws_read_and_write_roles_assume_through_sts() {
    aws_fixture || return
    sed -i 's/      prefix: P/      prefix: P\n      read_role_arn: arn:aws:iam::123456789012:role\/reader\n      write_role_arn: arn:aws:iam::123456789012:role\/writer/' atmos.yaml
    run_cloak set SSM_INSTANCE_TOKEN=via-role -s dev -c secret-consumer
    expect_status 0
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer --mask=false
    expect_status 0
    expect_out "via-role"
}

test_aws_shared_config_profile_and_credential_process() {
    aws_fixture || return
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    mkdir -p "$HOME/.aws"
    printf '[profile dev]\nregion = us-east-1\ncredential_process = printf %s\n' \
        "'{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"proc-secret\"}'" >"$HOME/.aws/config"
    export AWS_PROFILE=dev
    run_cloak set SSM_INSTANCE_TOKEN=from-profile -s dev -c secret-consumer
    expect_status 0
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer --mask=false
    expect_out "from-profile"
    export AWS_PROFILE=nope
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'AWS profile "nope"'
}

test_aws_sops_kms_interop_with_real_sops() {
    aws_fixture || return
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not installed"; return; }
    arn=$(aws_py 'print(kms.create_key(Description="cloak")["KeyMetadata"]["Arn"])')
    printf 'db_password: kms-secret-1\napi: {token: t0k}\n' >plain.yaml
    SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -e --kms "$arn" --encryption-context app:cloak plain.yaml >kms.enc.yaml \
        || { fail "sops -e --kms failed"; return; }
    run_cloak sops decrypt kms.enc.yaml
    expect_status 0
    expect_out "$(printf 'db_password: kms-secret-1\napi:\n    token: t0k')"
    run_cloak sops set kms.enc.yaml '["db_password"]' '"rotated-2"'
    expect_status 0
    got=$(SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -d --extract '["db_password"]' kms.enc.yaml)
    [ "$got" = "rotated-2" ] || fail "sops -d after cloak set: $got"
    # A wrong encryption context is refused by KMS: a one-line decrypt error naming the key.
    sed -i 's/app: cloak/app: other/' kms.enc.yaml
    run_cloak sops decrypt kms.enc.yaml
    expect_status 1
    expect_err_contains "kms Decrypt $arn: InvalidCiphertextException"
}

test_aws_fault_throttling_is_retried_then_reported() {
    aws_fixture || return
    run_cloak set SSM_INSTANCE_TOKEN=t1 -s dev -c secret-consumer
    proxy_up || return
    proxy_mode "throttle-first:2"
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer --mask=false
    expect_status 0
    expect_out "t1"
    [ "$(proxy_count)" = "3" ] || fail "expected 3 requests, proxy saw $(proxy_count)"
    curl -fsS -X POST "$PROXY_URL/__reset" >/dev/null
    proxy_mode throttle
    start=$(date +%s)
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'ThrottlingException (HTTP 400) after 3 attempts'
    expect_err_lines 1
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    [ "$(proxy_count)" = "3" ] || fail "expected 3 attempts, proxy saw $(proxy_count)"
    [ $(( $(date +%s) - start )) -le 10 ] || fail "took too long"
}

test_aws_fault_500_and_reset_and_timeout() {
    aws_fixture || return
    run_cloak set SSM_INSTANCE_TOKEN=t1 -s dev -c secret-consumer
    proxy_up || return
    proxy_mode 500
    export AWS_MAX_ATTEMPTS=2
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'InternalServerError (HTTP 500) after 2 attempts'
    [ "$(proxy_count)" = "2" ] || fail "expected 2 attempts, proxy saw $(proxy_count)"
    curl -fsS -X POST "$PROXY_URL/__reset" >/dev/null
    proxy_mode reset
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'connection was reset after 2 attempts'
    expect_err_lines 1
    curl -fsS -X POST "$PROXY_URL/__reset" >/dev/null
    proxy_mode "delay:5"
    sed -i 's/      prefix: P/      prefix: P\n      timeout: 1/' atmos.yaml
    start=$(date +%s)
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'request timed out after 2 attempts'
    [ $(( $(date +%s) - start )) -le 5 ] || fail "timeout not bounded"
}

test_aws_fault_malformed_and_huge_bodies() {
    aws_fixture || return
    proxy_up || return
    proxy_mode malformed
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'ssm GetParameter "P/dev/secret-consumer/SSM_INSTANCE_TOKEN": the response is not valid JSON'
    expect_err_lines 1
    [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body"
    [ "$(proxy_count)" = "1" ] || fail "malformed JSON should not be retried"
    curl -fsS -X POST "$PROXY_URL/__reset" >/dev/null
    proxy_mode "huge:50"
    start=$(date +%s)
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer
    expect_status 1
    expect_err_contains 'response is larger than 10 MB'
    [ $(( $(date +%s) - start )) -le 10 ] || fail "huge body not cut short"
}

test_aws_store_identity_assumes_the_auth_identity_chain() {
    aws_fixture || return
    proxy_up || return
    cat >>atmos.yaml <<'YAML'
auth:
  identities:
    base-user:
      kind: aws/user
    platform-admin:
      kind: aws/assume-role
      principal:
        assume_role: arn:aws:iam::123456789012:role/platform
      via:
        identity: base-user
    deployer:
      kind: aws/assume-role
      default: true
      principal:
        assume_role: arn:aws:iam::123456789012:role/deployer
      via:
        identity: platform-admin
YAML
    run_cloak set SSM_INSTANCE_TOKEN=via-identity -s dev -c secret-consumer
    expect_status 0
    # Two AssumeRole calls (platform, then deployer) before the PutParameter.
    [ "$(proxy_count)" -ge 3 ] || fail "expected the identity chain's STS calls, saw $(proxy_count) request(s)"
    curl -fsS -X POST "$PROXY_URL/__reset" >/dev/null
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer --mask=false --identity base-user
    expect_out "via-identity"
    [ "$(proxy_count)" -eq 1 ] || fail "base-user needs no STS call, saw $(proxy_count) request(s)"
    run_cloak get SSM_INSTANCE_TOKEN -s dev -c secret-consumer --identity nobody
    expect_status 1
    expect_err_contains 'identity "nobody" is not defined under auth.identities'
}

# aws_stores_fixture: the aws-stores fixture (non-secret aws/ssm and aws/asm stores read by !store/!store.get) on a
# fresh moto, with the values other components would have written at the composed keys.
aws_stores_fixture() {
    aws_fixture || return
    # Replaces the aws-secrets atmos.yaml and stack (same paths) in the fresh copy aws_fixture made.
    cp -r "$ROOT/integration/fixtures/aws-stores/." ./
    aws_py '
ssm.put_parameter(Name="/atmos/plat/ue2/dev/vpc/vpc_id", Value="vpc-dev-123", Type="String")
ssm.put_parameter(Name="/atmos/plat/ue2/prod/vpc/vpc_id", Value="vpc-prod-456", Type="String")
ssm.put_parameter(Name="/atmos/plat/ue2/dev/vpc/network", Value=json.dumps({"db": {"host": "db.internal", "port": 5432}}), Type="String")
ssm.put_parameter(Name="/global/shared/endpoint", Value="https://api.example.test", Type="String")
ssm.put_parameter(Name="/secret/plat/ue2/dev/vpc/vpc_id", Value="never-read", Type="SecureString")
sm.create_secret(Name="out/plat/ue2/dev/vpc/subnet", SecretString=json.dumps("subnet-789"))
sm.create_secret(Name="out/plat/ue2/dev/vpc/network", SecretString=json.dumps({"db": {"port": 6543}}))
sm.create_secret(Name="plain-text-secret", SecretString="not json at all")' || fail "could not seed moto"
}

test_aws_store_functions_in_exec_env_and_describe() {
    aws_stores_fixture || return
    run_cloak exec -s plat-ue2-dev -c app -- env
    expect_status 0
    for line in VPC_ID=vpc-dev-123 PROD_VPC_ID=vpc-prod-456 TEMPLATED_VPC_ID=vpc-dev-123 \
        ENDPOINT=https://api.example.test DB_HOST=db.internal 'NETWORK={"db":{"host":"db.internal","port":5432}}' \
        REGION_OR_DEFAULT=us-east-9 'RAW_OR_DEFAULT=two words' SUBNET=subnet-789 'ASM_RAW=not json at all' \
        ASM_DB_PORT=6543; do
        grep -qxF "$line" <<<"$out" || fail "exec env lacks $line"
    done
    # Store values are not secrets: they are not masked in the child's output.
    expect_out_lacks "<MASKED>"
    run_cloak env -s plat-ue2-dev -c app --format json
    expect_status 0
    expect_out_contains '"VPC_ID"'
    expect_out_contains 'dev.yaml'
    expect_out_lacks 'vpc-dev-123'
    run_cloak describe component app -s plat-ue2-dev --format json --query .vars
    expect_status 0
    expect_out_contains '"vpc_id": "vpc-dev-123"'
    expect_out_contains '"host": "db.internal"'
    expect_out_contains '"port": 5432'
    run_cloak describe component app -s plat-ue2-dev --query .settings.endpoint
    expect_status 0
    expect_out "https://api.example.test"
}

test_aws_store_functions_batch_and_dedupe_reads() {
    aws_stores_fixture || return
    proxy_up || return
    run_cloak exec -s plat-ue2-dev -c app -- true
    expect_status 0
    # env, vars and settings together: one GetParameters (7 distinct names) and one BatchGetSecretValue (3 ids).
    [ "$(proxy_count)" = "2" ] || fail "expected 2 requests, saw $(proxy_count)"
}

test_aws_store_function_errors() {
    aws_stores_fixture || return
    run_cloak exec -s plat-ue2-dev -c refuses-secret-store -- true
    expect_status 1
    expect_err_contains 'stacks/deploy/dev.yaml:'
    expect_err_contains 'error: store is a secret store; use !secret instead of !store: store "vault-like"'
    expect_err_lines 1
    run_cloak describe component refuses-secret-store-get -s plat-ue2-dev
    expect_status 1
    expect_err_contains 'error: store is a secret store; use !secret instead of !store: store "vault-like"'
    run_cloak exec -s plat-ue2-dev -c missing-key -- true
    expect_status 1
    expect_err_contains 'error: !store: key "/atmos/plat/ue2/dev/vpc/nothing_written" not found in store "outputs" (write it first, or add `| default VALUE`)'
    expect_err_lines 1
    run_cloak env -s plat-ue2-dev -c unknown-store
    expect_status 1
    expect_err_contains 'error: !store: store "nowhere" is not configured under atmos.yaml stores (configured stores: asm-outputs, cache, outputs, vault-like)'
    run_cloak exec -s plat-ue2-dev -c redis-store -- true
    expect_status 1
    # A store that cannot be reached: a one-line error naming the function, the key and the server, no child.
    expect_err_contains 'error: !store: cannot read key "/plat-ue2-dev/vpc/vpc_id" from store "cache": redis: cannot connect to 127.0.0.1:1 (Connection refused)'
    expect_err_lines 1
    run_cloak exec -s plat-ue2-dev -c bad-arity -- true
    expect_status 1
    expect_err_contains 'dev.yaml:43:'
    expect_err_contains 'error: invalid !store arguments: got 2, expected !store STORE [STACK] COMPONENT KEY'
    [[ "$err" != *never-read* ]] || fail "a secret store value leaked"
}

test_aws_store_get_supplies_a_sops_age_key() {
    aws_stores_fixture || return
    command -v age-keygen >/dev/null || { fail "age-keygen not installed"; return; }
    age-keygen -o age.txt 2>/dev/null
    recipient=$(grep -o 'age1[0-9a-z]*' age.txt | head -1)
    unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE SOPS_AGE_KEY_CMD
    cat >>atmos.yaml <<YAML
secrets:
  providers:
    enc:
      kind: sops/age
      spec:
        age_recipients: $recipient
        age_key: !store.get outputs /keys/age
YAML
    cat >>stacks/deploy/dev.yaml <<'YAML'
    sops-consumer:
      secrets:
        vars:
          DB_PASSWORD:
            sops: enc
      env:
        REGION: !store outputs vpc region | default eu-west-1
YAML
    MOTO_KEY=$(grep AGE-SECRET-KEY age.txt) aws_py 'ssm.put_parameter(Name="/keys/age", Value=os.environ["MOTO_KEY"], Type="String")' \
        || { fail "could not store the age key"; return; }
    run_cloak set DB_PASSWORD=hunter2-sops -s plat-ue2-dev -c sops-consumer
    expect_status 0
    run_cloak get DB_PASSWORD -s plat-ue2-dev -c sops-consumer --mask=false
    expect_status 0
    expect_out "hunter2-sops"
    run_cloak exec -s plat-ue2-dev -c sops-consumer -- sh -c 'echo "$DB_PASSWORD $REGION"'
    expect_status 0
    expect_out "hunter2-sops eu-west-1"
    # Without the key in the store, decryption names the missing key, never a value.
    aws_py 'ssm.delete_parameter(Name="/keys/age")' || { fail "could not delete the age key"; return; }
    run_cloak get DB_PASSWORD -s plat-ue2-dev -c sops-consumer --mask=false
    expect_status 1
    expect_err_contains '"DB_PASSWORD": !store.get: key "/keys/age" not found in store "outputs"'
    expect_err_lines 1
}

test_aws_store_values_reach_the_terraform_var_file() {
    aws_stores_fixture || return
    sed -i "s|    base_path: \"components/terraform\"|    base_path: \"components/terraform\"\n    command: $ROOT/integration/fixtures/runners/tools/fake-terraform|" atmos.yaml
    run_cloak terraform plan app -s plat-ue2-dev
    expect_status 0
    # Plain configuration, so it stays in the var file (no TF_VAR_ scrubbing as for secrets).
    expect_out_contains 'vpc_id = "vpc-dev-123"'
    expect_out_contains 'network = {"db":{"host":"db.internal","port":5432}}'
    expect_out_lacks "TF_VAR_vpc_id"
}
