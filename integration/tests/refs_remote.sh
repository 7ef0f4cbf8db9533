# Remote ref+ backends (issue 9): awsssm trees and versions, awssecrets against moto; vault against OpenBao;
# gcpsecrets, azurekeyvault and 1Password Connect against the fakes. Each through `cloak ref get`, `cloak eval`, and
# a component's env with `cloak exec` (the value reaches the child and is masked in eval and describe).
# Reuses the fixtures of refs.sh, aws.sh, vault.sh, gcp.sh, azure.sh and onepassword.sh.

# refs_remote_stack ENTRY...: stack "remote" with component "remote" whose env holds the given `NAME: value` lines.
refs_remote_stack() {
    {
        printf 'vars:\n  stage: remote\ncomponents:\n  terraform:\n    remote:\n      metadata:\n        component: app\n      env:\n'
        printf '        %s\n' "$@"
    } >stacks/deploy/remote.yaml
}

# refs_remote_exec EXPECTED NAME...: the child sees "v1|v2|…|"; describe shows every NAME masked, never a value.
refs_remote_exec() {
    local expected=$1; shift
    local script="" n
    for n in "$@"; do script="$script\"\$$n\" "; done
    run_cloak exec -s remote -c remote -- sh -c "printf '%s|' $script"
    expect_status 0
    expect_out "$expected"
    run_cloak describe component remote -s remote --query .env
    expect_status 0
    for n in "$@"; do expect_out_contains "$n: <MASKED>"; done
    local v
    IFS='|' read -r -a values <<<"$expected"
    for v in "${values[@]}"; do [ -z "$v" ] || expect_out_lacks "$v"; done
}

test_refs_awsssm_tree_version_against_moto() {
    refs_fixture
    local here; here=$(pwd)
    aws_fixture || return
    cd "$here"
    aws_py '
ssm.put_parameter(Name="/tree/top", Value="top-value", Type="String")
ssm.put_parameter(Name="/tree/db/user", Value="tree-user", Type="String")
ssm.put_parameter(Name="/tree/db/password", Value="tree-pa55", Type="SecureString")
ssm.put_parameter(Name="/ver/token", Value="token-v1", Type="SecureString")
ssm.put_parameter(Name="/ver/token", Value="token-v2", Type="SecureString", Overwrite=True)
for i in range(12):
    ssm.put_parameter(Name="/many/p%02d" % i, Value="many-%d" % i, Type="String")'
    # Default fragment mode: GetParametersByPath, names relative to the path; only direct children unless recursive.
    run_cloak ref get 'ref+awsssm://tree#/top' --mask=false
    expect_status 0
    expect_out "top-value"
    run_cloak ref get 'ref+awsssm://tree/db#/password' --mask=false
    expect_out "tree-pa55"
    run_cloak ref get 'ref+awsssm://tree?recursive=true#/db' --mask=false
    expect_out '{"password":"tree-pa55","user":"tree-user"}'
    run_cloak ref get 'ref+awsssm://tree#/db/user' --mask=false
    expect_status 1
    expect_err_contains "cannot resolve ref+awsssm reference: no value found for key /db/user"
    # Every page is read (12 parameters, 10 per page).
    run_cloak ref get 'ref+awsssm:///many#/p11' --mask=false
    expect_out "many-11"
    run_cloak ref get 'ref+awsssm://nothing/here#/x'
    expect_status 1
    expect_err_contains 'awsssm: no parameters under "/nothing/here"'
    # version=: GetParameter name:N.
    run_cloak ref get 'ref+awsssm://ver/token?version=1' --mask=false
    expect_status 0
    expect_out "token-v1"
    run_cloak ref get 'ref+awsssm://ver/token' --mask=false
    expect_out "token-v2"
    run_cloak ref get 'ref+awsssm://ver/token?version=7'
    expect_status 1
    expect_err_contains 'ssm parameter "/ver/token" has no version 7'
    run_cloak ref get 'ref+awsssm://ver/token?version=x'
    expect_status 1
    expect_err_contains "awsssm: version=x is not a positive number"
    # One GetParametersByPath per path and one GetParameters for the plain values of a document.
    proxy_up || return
    printf 'a: ref+awsssm://tree?recursive=true#/db/user\nb: ref+awsssm://tree?recursive=true#/db/password\nc: ref+awsssm://tree/top\nd: ref+awsssm://ver/token\n' >tree.yaml
    run_cloak eval tree.yaml --mask=false
    expect_status 0
    expect_out "$(printf '%s\n' 'a: tree-user' 'b: tree-pa55' 'c: top-value' 'd: token-v2')"
    [ "$(proxy_count)" = "2" ] || fail "expected 2 calls (one tree, one GetParameters), proxy saw $(proxy_count)"
    run_cloak eval tree.yaml
    expect_out_lacks "tree-pa55"
    expect_out_contains "b: <MASKED>"
    refs_remote_stack 'TREE_PW: ref+awsssm://tree?recursive=true#/db/password' 'OLD_TOKEN: ref+awsssm://ver/token?version=1'
    refs_remote_exec "tree-pa55|token-v1|" TREE_PW OLD_TOKEN
}

test_refs_awssecrets_against_moto() {
    refs_fixture
    local here; here=$(pwd)
    aws_fixture || return
    cd "$here"
    local arn
    arn=$(aws_py '
sm.create_secret(Name="app/plain", SecretString="first-value")
sm.put_secret_value(SecretId="app/plain", SecretString="second-value")
sm.create_secret(Name="app/bin", SecretBinary=b"binary-value")
sm.create_secret(Name="app/split/meta", SecretString="github.com/helmfile/vals: [a, /b]")
sm.create_secret(Name="app/split/a", SecretString="part-a")
sm.create_secret(Name="app/split/b", SecretString="part-b")
print(sm.create_secret(Name="app/json", SecretString=json.dumps({"user": "json-user", "pw": "json-pw", "port": 5432}))["ARN"])')
    run_cloak ref get 'ref+awssecrets://app/plain' --mask=false
    expect_status 0
    expect_out "second-value"
    run_cloak ref get 'ref+awssecrets://app/plain?version_stage=AWSPREVIOUS' --mask=false
    expect_out "first-value"
    run_cloak ref get 'ref+awssecrets://app/bin' --mask=false
    expect_out "binary-value"
    run_cloak ref get "ref+awssecrets://$arn#/pw" --mask=false
    expect_status 0
    expect_out "json-pw"
    # A secret that cannot be read falls back to <id>/meta and its listed sub-secrets.
    run_cloak ref get 'ref+awssecrets://app/split#/b' --mask=false
    expect_status 0
    expect_out "part-b"
    printf 'a: 1\nb: ref+awssecrets://app/json#/nope\n' >miss.yaml
    run_cloak eval miss.yaml
    expect_status 1
    expect_err_contains "miss.yaml:2:4: error: cannot resolve ref+awssecrets reference: no value found for key /nope"
    expect_err_lines 1
    run_cloak ref get 'ref+awssecrets://app/missing'
    expect_status 1
    expect_err_contains 'secretsmanager secret "app/missing" not found'
    # Every current-version secret of a document in one BatchGetSecretValue call.
    proxy_up || return
    printf 'port: ref+awssecrets://app/json#/port\nuser: ref+awssecrets://app/json#/user\nplain: ref+awssecrets://app/plain\nbin: ref+awssecrets://app/bin\n' >asm.yaml
    run_cloak eval asm.yaml --mask=false
    expect_status 0
    expect_out "$(printf '%s\n' 'port: 5432' 'user: json-user' 'plain: second-value' 'bin: binary-value')"
    [ "$(proxy_count)" = "1" ] || fail "expected one BatchGetSecretValue call, proxy saw $(proxy_count)"
    refs_remote_stack 'ASM_PW: ref+awssecrets://app/json#/pw' 'ASM_OLD: ref+awssecrets://app/plain?version_stage=AWSPREVIOUS'
    refs_remote_exec "json-pw|first-value|" ASM_PW ASM_OLD
}

test_refs_vault_against_openbao() {
    refs_fixture
    local here; here=$(pwd)
    vault_fixture || return
    cd "$here"
    local v2=$VAULT_MOUNT v1="kv1$RANDOM"
    bao_api POST "sys/mounts/$v1" '{"type":"kv","options":{"version":"1"}}' >/dev/null
    bao_api POST "$v2/data/app" '{"data":{"password":"bao-pw-1","port":5432}}' >/dev/null
    bao_api POST "$v2/data/app" '{"data":{"password":"bao-pw-2","port":5432,"b64":"ZGVjb2RlZA=="}}' >/dev/null
    bao_api POST "$v1/legacy" '{"token":"v1-token"}' >/dev/null
    run_cloak ref get "ref+vault://$v2/app/password" --mask=false
    expect_status 0
    expect_out "bao-pw-2"
    run_cloak ref get "ref+vault://$v2/app?version=1#/password" --mask=false
    expect_out "bao-pw-1"
    run_cloak ref get "ref+vault://$v2/data/app#/password" --mask=false
    expect_out "bao-pw-2"
    run_cloak ref get "ref+vault://$v2/app/b64?decode=base64" --mask=false
    expect_out "decoded"
    run_cloak ref get "ref+vault://$v1/legacy#/token" --mask=false
    expect_status 0
    expect_out "v1-token"
    printf 'port: ref+vault://%s/app#/port\n' "$v2" >port.yaml
    run_cloak eval port.yaml --mask=false
    expect_out "port: 5432"
    run_cloak ref get "ref+vault://$v2/app/nope"
    expect_status 1
    expect_err_contains "cannot resolve ref+vault reference: vault: get string: key \"nope\" does not exist in \"$v2/app\""
    printf 'x: 1\ny: ref+vault://%s/app#/nope\n' "$v2" >miss.yaml
    run_cloak eval miss.yaml
    expect_status 1
    expect_err_contains "miss.yaml:2:4: error: cannot resolve ref+vault reference: no value found for key /nope"
    expect_err_lines 1
    # address= and token_env= instead of VAULT_ADDR and VAULT_TOKEN.
    local addr=$VAULT_ADDR
    unset VAULT_ADDR VAULT_TOKEN
    run_cloak ref get "ref+vault://$v2/app/password"
    expect_status 1
    expect_err_contains "vault: no server address"
    MY_BAO_TOKEN=root run_cloak ref get "ref+vault://$v2/app/password?address=$addr&token_env=MY_BAO_TOKEN" --mask=false
    expect_status 0
    expect_out "bao-pw-2"
    # AppRole login with a policy that can read only this secret.
    bao_api POST sys/auth/approle '{"type":"approle"}' >/dev/null 2>&1 || true
    bao_api PUT "sys/policies/acl/$v2-refs" "$(python3 -c 'import json,sys; print(json.dumps({"policy": "path \"%s/data/app\" { capabilities = [\"read\"] }" % sys.argv[1]}))' "$v2")" >/dev/null
    bao_api POST "auth/approle/role/$v2-refs" "{\"token_policies\":[\"$v2-refs\"],\"token_ttl\":\"5m\"}" >/dev/null
    local role_id secret_id
    role_id=$(bao_api GET "auth/approle/role/$v2-refs/role-id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["role_id"])')
    secret_id=$(bao_api POST "auth/approle/role/$v2-refs/secret-id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["secret_id"])')
    export VAULT_ADDR=$addr
    run_cloak ref get "ref+vault://$v2/app/password?auth_method=approle&role_id=$role_id&secret_id=$secret_id" --mask=false
    expect_status 0
    expect_out "bao-pw-2"
    [[ "$err" != *"$secret_id"* ]] || fail "the secret id leaked"
    run_cloak ref get "ref+vault://$v2/app/password?auth_method=approle&role_id=$role_id&secret_id=wrong"
    expect_status 1
    expect_err_contains "vault approle login"
    expect_err_lines 1
    export VAULT_TOKEN=root
    refs_remote_stack "VAULT_PW: ref+vault://$v2/app/password" "VAULT_V1: ref+vault://$v1/legacy#/token"
    refs_remote_exec "bao-pw-2|v1-token|" VAULT_PW VAULT_V1
}

test_refs_gcpsecrets_against_fake() {
    refs_fixture
    local here; here=$(pwd)
    gcp_fixture || return
    cd "$here"
    local tok
    tok=$(curl -fsS -X POST --data "grant_type=refresh_token&refresh_token=fake-refresh-token&client_secret=fake-client-secret" "$GCP_URL/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    gcp_put() {
        curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
            --data '{"replication":{"automatic":{}}}' "$GCP_URL/v1/projects/test-proj/secrets?secretId=$1" 2>/dev/null || true
        curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
            --data "{\"payload\":{\"data\":\"$(printf '%b' "$2" | base64 -w0)\"}}" "$GCP_URL/v1/projects/test-proj/secrets/$1:addVersion"
    }
    gcp_put api-key "gsm-key-1"
    gcp_put api-key "gsm-key-2"
    gcp_put db-json '{"user":"gsm-user","pw":"gsm-pw"}'
    gcp_put with-nl 'line-value\n\n'
    export CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER="$GCP_URL/v1/"
    unset GCP_PROJECT
    run_cloak ref get 'ref+gcpsecrets://test-proj/api-key' --mask=false
    expect_status 0
    expect_out "gsm-key-2"
    run_cloak ref get 'ref+gcpsecrets://test-proj/api-key?version=1' --mask=false
    expect_out "gsm-key-1"
    run_cloak ref get 'ref+gcpsecrets://test-proj/db-json#/pw' --mask=false
    expect_out "gsm-pw"
    GCP_PROJECT=test-proj run_cloak ref get 'ref+gcpsecrets://api-key' --mask=false
    expect_out "gsm-key-2"
    run_cloak ref get 'ref+gcpsecrets://api-key'
    expect_status 1
    expect_err_contains "gcpsecrets: \"api-key\" names no project"
    printf 'a: "[ref+gcpsecrets://test-proj/with-nl?trim_nl=true+]"\nb: "[ref+gcpsecrets://test-proj/missing?optional=true+]"\nc: ref+gcpsecrets://test-proj/missing?fallback_value=fb\nd: "[ref+gcpsecrets://test-proj/with-nl+]"\n' >gsm.yaml
    run_cloak eval gsm.yaml --mask=false --format json
    expect_status 0
    expect_out_contains '"a": "[line-value\n]",'
    expect_out_contains '"b": "[]",'
    expect_out_contains '"c": "fb",'
    expect_out_contains '"d": "[line-value\n\n]"'
    run_cloak ref get 'ref+gcpsecrets://test-proj/missing'
    expect_status 1
    expect_err_contains 'cannot resolve ref+gcpsecrets reference: gcp secret "projects/test-proj/secrets/missing/versions/latest" not found'
    run_cloak ref get 'ref+gcpsecrets://test-proj/db-json#/nope'
    expect_status 1
    expect_err_contains "no value found for key /nope"
    refs_remote_stack 'GSM_KEY: ref+gcpsecrets://test-proj/api-key?version=1' 'GSM_PW: ref+gcpsecrets://test-proj/db-json#/pw'
    refs_remote_exec "gsm-key-1|gsm-pw|" GSM_KEY GSM_PW
}

test_refs_azurekeyvault_against_fake() {
    refs_fixture
    local here; here=$(pwd)
    azure_fixture || return
    local ca="$PWD/ca.pem"
    cd "$here"
    local tok
    tok=$(curl -fsS --cacert "$ca" -X POST --data 'grant_type=client_credentials&client_id=x&client_secret=fake-secret&scope=https%3A%2F%2Fvault.azure.net%2F.default' "$AZ_URL/72f988bf-fake-tenant/oauth2/v2.0/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    az_put() {
        curl -fsS --cacert "$ca" -X PUT -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
            --data "$(python3 -c 'import json,sys; print(json.dumps({"value": sys.argv[1]}))' "$2")" "$AZ_URL/secrets/$1?api-version=7.4" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["id"].rsplit("/", 1)[1])'
    }
    local v1
    v1=$(az_put app-key "akv-key-1")
    az_put app-key "akv-key-2" >/dev/null
    az_put app-json '{"user":"akv-user","pw":"akv-pw"}' >/dev/null
    export SSL_CERT_FILE="$ca"
    local vault="127.0.0.1:$AZ_PORT" q='?disable_challenge_resource_verification=true'
    run_cloak ref get "ref+azurekeyvault://$vault/app-key$q" --mask=false
    expect_status 0
    expect_out "akv-key-2"
    run_cloak ref get "ref+azurekeyvault://$vault/app-key/$v1$q" --mask=false
    expect_out "akv-key-1"
    run_cloak ref get "ref+azurekeyvault://$vault/app-json$q#/pw" --mask=false
    expect_out "akv-pw"
    # Without the relaxed check the fake's challenge (for vault.azure.net) does not match 127.0.0.1.
    run_cloak ref get "ref+azurekeyvault://$vault/app-key"
    expect_status 1
    expect_err_contains "does not match the vault's domain"
    run_cloak ref get "ref+azurekeyvault://$vault/app-key/$v1/extra$q"
    expect_status 1
    expect_err_contains "azurekeyvault: invalid secret specifier"
    run_cloak ref get "ref+azurekeyvault://$vault/missing$q"
    expect_status 1
    expect_err_contains 'azure secret "missing" not found'
    printf 'a: 1\nb: ref+azurekeyvault://%s/app-json%s#/nope\n' "$vault" "$q" >miss.yaml
    run_cloak eval miss.yaml
    expect_status 1
    expect_err_contains "miss.yaml:2:4: error: cannot resolve ref+azurekeyvault reference: no value found for key /nope"
    refs_remote_stack "AKV_KEY: ref+azurekeyvault://$vault/app-key$q" "AKV_PW: ref+azurekeyvault://$vault/app-json$q#/user"
    refs_remote_exec "akv-key-2|akv-user|" AKV_KEY AKV_PW
}

test_refs_onepassword_connect_against_fake() {
    refs_fixture
    local here; here=$(pwd)
    op_fixture || return
    cd "$here"
    local vid
    vid=$(curl -fsS -H "Authorization: Bearer connect-token-1" "$OP_URL/v1/vaults" | python3 -c 'import json,sys; print([v["id"] for v in json.load(sys.stdin) if v["name"] == "Infra"][0])')
    curl -fsS -o /dev/null -X POST -H "Authorization: Bearer connect-token-1" -H 'Content-Type: application/json' \
        --data "{\"vault\":{\"id\":\"$vid\"},\"title\":\"db\",\"category\":\"LOGIN\",\"sections\":[{\"id\":\"sec1\",\"label\":\"prod\"}],\"fields\":[{\"id\":\"username\",\"label\":\"username\",\"value\":\"op-user\"},{\"id\":\"pw1\",\"label\":\"password\",\"value\":\"op-pw\",\"section\":{\"id\":\"sec1\"}}]}" \
        "$OP_URL/v1/vaults/$vid/items"
    run_cloak ref get 'ref+onepasswordconnect://Infra/db#/username' --mask=false
    expect_status 0
    expect_out "op-user"
    run_cloak ref get 'ref+onepasswordconnect://Infra/db#/prod.password' --mask=false
    expect_out "op-pw"
    run_cloak ref get 'ref+onepassword://Infra/db#/sec1.pw1' --mask=false
    expect_out "op-pw"
    run_cloak ref get 'ref+op://Infra/db/prod/password' --mask=false
    expect_status 0
    expect_out "op-pw"
    run_cloak ref get 'ref+onepasswordconnect://Infra/db#/nope'
    expect_status 1
    expect_err_contains "cannot resolve ref+onepasswordconnect reference: no value found for key /nope"
    run_cloak ref get 'ref+onepasswordconnect://Infra#/x'
    expect_status 1
    expect_err_contains "onepasswordconnect: invalid URI"
    run_cloak ref get 'ref+onepasswordconnect://Infra/ghost#/x'
    expect_status 1
    expect_err_contains '1password item "ghost" not found in vault "Infra"'
    OP_CONNECT_TOKEN= run_cloak ref get 'ref+op://Infra/db/username'
    expect_status 1
    expect_err_contains "op: 1Password Connect is not configured"
    refs_remote_stack 'OP_USER: ref+onepasswordconnect://Infra/db#/username' 'OP_PW: ref+op://Infra/db/prod/password'
    refs_remote_exec "op-user|op-pw|" OP_USER OP_PW
}

test_refs_unknown_backend_names_it_and_location() {
    refs_fixture
    printf 'a: 1\nb: ref+vaultt://secret/x#/y\n' >unknown.yaml
    run_cloak eval unknown.yaml
    expect_status 1
    expect_err_contains "unknown.yaml:2:4: error: cannot resolve ref+vaultt reference: unknown reference backend \"vaultt\""
    expect_err_contains "vault"
    expect_err_lines 1
}

# vals's other Vault logins: userpass (password from a variable or a file) and kubernetes (role = role_id, the
# service-account JWT from VAULT_KUBERNETES_JWT_TOKEN_PATH). OpenBao's JWT method mounted at a custom path takes the
# same {role, jwt} login a Kubernetes mount does, so it stands in for the TokenReview-backed mount.
test_refs_vault_userpass_and_kubernetes_logins() {
    refs_fixture
    local here; here=$(pwd)
    vault_fixture || return
    cd "$here"
    local v2=$VAULT_MOUNT
    bao_api POST "$v2/data/app" '{"data":{"password":"bao-pw","user":"svc"}}' >/dev/null
    bao_api PUT "sys/policies/acl/$v2-up" "$(python3 -c 'import json,sys; print(json.dumps({"policy": "path \"%s/*\" { capabilities = [\"read\"] }" % sys.argv[1]}))' "$v2")" >/dev/null
    bao_api POST "sys/auth/up$v2" '{"type":"userpass"}' >/dev/null
    bao_api POST "auth/up$v2/users/ci-user" "{\"password\":\"pa55-word\",\"token_policies\":[\"$v2-up\"]}" >/dev/null
    unset VAULT_TOKEN
    export VAULT_LOGIN_MOUNT_POINT="up$v2" CI_VAULT_PW=pa55-word
    run_cloak ref get "ref+vault://$v2/app/password?auth_method=userpass&username=ci-user&password_env=CI_VAULT_PW" --mask=false
    expect_status 0
    expect_out "bao-pw"
    printf 'pa55-word\n' >pw.txt
    run_cloak ref get "ref+vault://$v2/app/user?auth_method=userpass&username=ci-user&password_file=$PWD/pw.txt" --mask=false
    expect_status 0
    expect_out "svc"
    # VAULT_AUTH_METHOD / VAULT_USERNAME / VAULT_PASSWORD_ENV select the same login without parameters.
    VAULT_AUTH_METHOD=userpass VAULT_USERNAME=ci-user VAULT_PASSWORD_ENV=CI_VAULT_PW run_cloak ref get "ref+vault://$v2/app/password" --mask=false
    expect_status 0
    expect_out "bao-pw"
    CI_VAULT_PW=wrong run_cloak ref get "ref+vault://$v2/app/password?auth_method=userpass&username=ci-user&password_env=CI_VAULT_PW"
    expect_status 1
    expect_err_contains "vault userpass login"
    expect_err_lines 1
    [[ "$err" != *wrong* ]] || fail "the password leaked into the error"
    run_cloak ref get "ref+vault://$v2/app/password?auth_method=userpass&username=ci-user"
    expect_status 1
    expect_err_contains "needs password_env or password_file"
    unset VAULT_LOGIN_MOUNT_POINT
    make_jwt sa system:serviceaccount:apps:deployer vault || return
    bao_api POST "sys/auth/k8s$v2" '{"type":"jwt"}' >/dev/null
    bao_api POST "auth/k8s$v2/config" "$(python3 -c 'import json; print(json.dumps({"jwt_validation_pubkeys":[open("sa.pub").read()]}))')" >/dev/null
    bao_api POST "auth/k8s$v2/role/deployer" "{\"role_type\":\"jwt\",\"user_claim\":\"sub\",\"bound_audiences\":[\"vault\"],\"token_policies\":[\"$v2-up\"]}" >/dev/null
    export VAULT_KUBERNETES_MOUNT_POINT="k8s$v2" VAULT_KUBERNETES_JWT_TOKEN_PATH="$PWD/sa.jwt"
    run_cloak ref get "ref+vault://$v2/app/password?auth_method=kubernetes&role_id=deployer" --mask=false
    expect_status 0
    expect_out "bao-pw"
    run_cloak ref get "ref+vault://$v2/app/password?auth_method=kubernetes&role_id=nobody"
    expect_status 1
    expect_err_contains "vault kubernetes login"
    expect_err_lines 1
    VAULT_KUBERNETES_JWT_TOKEN_PATH="$PWD/missing.token" run_cloak ref get "ref+vault://$v2/app/password?auth_method=kubernetes&role_id=deployer"
    expect_status 1
    expect_err_contains "missing.token"
    expect_err_lines 1
    unset VAULT_KUBERNETES_MOUNT_POINT VAULT_KUBERNETES_JWT_TOKEN_PATH
}

# Distinct Vault documents of one exec are read concurrently and each once, however many fields use them.
test_refs_vault_many_documents_in_one_exec() {
    refs_fixture
    local here; here=$(pwd)
    vault_fixture || return
    cd "$here"
    local v2=$VAULT_MOUNT i lines=() expected=""
    for i in 1 2 3 4 5 6; do
        bao_api POST "$v2/data/doc$i" "{\"data\":{\"a\":\"a-$i\",\"b\":\"b-$i\"}}" >/dev/null
        lines+=("A$i: ref+vault://$v2/doc$i/a" "B$i: ref+vault://$v2/doc$i#/b")
        expected="${expected}a-$i|b-$i|"
    done
    refs_remote_stack "${lines[@]}"
    refs_remote_exec "$expected" A1 B1 A2 B2 A3 B3 A4 B4 A5 B5 A6 B6
    # Through a counting proxy: twelve references to six documents cost exactly what six references do.
    vault_proxy_up || return
    run_cloak exec -s remote -c remote -- true
    expect_status 0
    local twelve; twelve=$(vproxy_count)
    curl -fsS -X POST "$VPROXY/__reset" >/dev/null
    lines=()
    for i in 1 2 3 4 5 6; do lines+=("A$i: ref+vault://$v2/doc$i/a"); done
    refs_remote_stack "${lines[@]}"
    run_cloak exec -s remote -c remote -- true
    expect_status 0
    local six; six=$(vproxy_count)
    [ "$twelve" = "$six" ] && [ "$six" -ge 6 ] || fail "12 references to 6 documents made $twelve requests, 6 references made $six"
}

# watch_rotation ENVVAR OLD NEW ROTATE-COMMAND: starts `exec --watch 1s` on the remote stack, runs the rotation once
# the child printed OLD, and expects a second start with NEW (and exactly two starts).
watch_rotation() {
    local name=$1 old=$2 new=$3 rotate=$4 i
    "$CLOAK" exec -s remote -c remote --watch 1s -- sh -c "echo \"start \$$name\"; exec sleep 30" >watch.out 2>watch.err &
    local pid=$!
    for i in $(seq 1 100); do grep -q "start $old" watch.out 2>/dev/null && break; sleep 0.1; done
    grep -q "start $old" watch.out || { fail "child did not start with the first value: $(cat watch.out watch.err)"; kill "$pid"; return; }
    eval "$rotate"
    for i in $(seq 1 100); do grep -q "start $new" watch.out 2>/dev/null && break; sleep 0.1; done
    grep -q "start $new" watch.out || fail "child was not restarted with the rotated value: $(cat watch.out watch.err)"
    grep -q "secrets changed" watch.err || fail "no restart notice"
    [ "$(grep -c '^start' watch.out)" -eq 2 ] || fail "expected exactly two starts: $(cat watch.out)"
    ! grep -q "$new" watch.err || fail "the rotated value reached stderr"
    kill -TERM "$pid"
    set +e; wait "$pid"; status=$?; set -e
    expect_status 143
}

test_refs_watch_picks_up_rotation_in_openbao() {
    refs_fixture
    local here; here=$(pwd)
    vault_fixture || return
    cd "$here"
    bao_api POST "$VAULT_MOUNT/data/rot" '{"data":{"token":"bao-rot-1"}}' >/dev/null
    refs_remote_stack "ROT: ref+vault://$VAULT_MOUNT/rot/token"
    watch_rotation ROT bao-rot-1 bao-rot-2 "bao_api POST \"$VAULT_MOUNT/data/rot\" '{\"data\":{\"token\":\"bao-rot-2\"}}' >/dev/null"
}

test_refs_watch_picks_up_rotation_in_moto() {
    refs_fixture
    local here; here=$(pwd)
    aws_fixture || return
    cd "$here"
    aws_py 'ssm.put_parameter(Name="/rot/token", Value="ssm-rot-1", Type="SecureString")'
    refs_remote_stack "ROT: ref+awsssm://rot/token"
    watch_rotation ROT ssm-rot-1 ssm-rot-2 "aws_py 'ssm.put_parameter(Name=\"/rot/token\", Value=\"ssm-rot-2\", Type=\"SecureString\", Overwrite=True)'"
}
