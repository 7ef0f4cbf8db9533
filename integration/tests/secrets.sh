# Upstream Atmos secret scenarios 1-12 (atmos-secrets.md §10), rebuilt on our own fixtures.
# Each test works on a copy of the fixture, run from the fixture directory.

fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/$1/." "$d/"
    cd "$d"
    unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE SOPS_AGE_KEY_CMD
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config"
}

test_sc01_describe_masks_and_shows_secrets_block() {
    fixture sops-secrets
    run_cloak describe component api -s dev --query .vars
    expect_status 0
    expect_out "$(printf 'datadog_api_key: <MASKED>\nredis_url: <MASKED>\nstage: dev')"
    run_cloak describe component api -s dev --query .secrets.vars.DATADOG_API_KEY
    expect_out "$(printf 'description: Datadog API key for monitoring\nrequired: true\nscope: instance\nsops: dev-sops')"
}

test_sc02_list_json_and_piped_rows() {
    fixture sops-secrets
    run_cloak list -s dev -c api --format json
    expect_status 0
    expect_out_contains '"Provider": "sops:dev-sops"'
    expect_out_contains '"Status": "missing"'
    run_cloak list -s dev -c api
    expect_out "$(printf 'dev\tapi\tDATADOG_API_KEY\tinstance\tsops:dev-sops\tmissing\ndev\tapi\tREDIS_URL\tinstance\tsops:dev-sops\tmissing')"
}

test_sc03_validate_reports_missing_required_only() {
    fixture sops-secrets
    run_cloak validate -s dev -c api
    expect_status 1
    expect_err_contains 'Missing required secret `DATADOG_API_KEY` (sops:dev-sops)'
    expect_err_contains '1 required secret(s) missing'
    [[ "$err" != *REDIS_URL* ]] || fail "optional secret mentioned"
}

test_sc04_set_get_mask_and_sops_interop() {
    fixture sops-secrets
    recipient_before=$(grep 'recipient:' secrets/dev.enc.yaml)
    run_cloak set DATADOG_API_KEY=dd-abc123secret -s dev -c api
    expect_status 0
    expect_err_contains 'Set secret `DATADOG_API_KEY` for component `api` in stack `dev`'
    run_cloak get DATADOG_API_KEY -s dev -c api
    expect_out "<MASKED>"
    run_cloak get DATADOG_API_KEY -s dev -c api --mask=false
    expect_out "dd-abc123secret"
    run_cloak get DATADOG_API_KEY -s dev -c api --format env --mask=false
    expect_out "DATADOG_API_KEY=dd-abc123secret"
    run_cloak get DATADOG_API_KEY -s dev -c api --format json
    expect_out '"<MASKED>"'
    if [ -x "${CLOAK_TEST_SOPS:-}" ]; then
        got=$(SOPS_AGE_KEY_FILE=secrets/keys.txt SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" -d secrets/dev.enc.yaml)
        [ "$got" = "$(printf 'PLACEHOLDER: changeme\nDATADOG_API_KEY: dd-abc123secret')" ] || fail "sops -d shows: $got"
    else
        fail "real sops not installed"
    fi
    [ "$(grep 'recipient:' secrets/dev.enc.yaml)" = "$recipient_before" ] || fail "recipient changed"
    run_cloak list -s dev -c api
    expect_out_contains "$(printf 'DATADOG_API_KEY\tinstance\tsops:dev-sops\tinitialized')"
    run_cloak validate -s dev -c api
    expect_status 0
}

test_sc05_describe_unmasked_resolves_with_defaults() {
    fixture sops-secrets
    run_cloak describe component api -s dev --mask=false
    expect_status 1
    expect_err_contains 'secret is not initialized in its backend: "DATADOG_API_KEY"'
    "$CLOAK" set DATADOG_API_KEY=dd-abc123secret -s dev -c api 2>/dev/null
    run_cloak describe component api -s dev --mask=false --query .vars
    expect_status 0
    expect_out "$(printf 'datadog_api_key: dd-abc123secret\nredis_url: redis://localhost:6379\nstage: dev')"
}

test_sc06_masked_describe_needs_no_key() {
    fixture sops-secrets
    "$CLOAK" set DATADOG_API_KEY=x -s dev -c api 2>/dev/null
    mv secrets/keys.txt "$(mktemp -d)/"
    run_cloak describe component api -s dev --mask=false
    expect_status 1
    run_cloak describe component api -s dev
    expect_status 0
}

test_sc07_keygen_sees_only_atmos_yaml_providers() {
    fixture sops-secrets
    run_cloak keygen
    expect_status 1
    expect_err_contains "no secrets vault is configured"
}

test_sc08_helmfile_get_undeclared_list_validate() {
    fixture secrets-helmfile
    run_cloak get REDIS_URL -s dev -c redis --mask=false
    expect_out "123"
    run_cloak get DATADOG_API_KEY -s dev -c redis
    expect_status 1
    expect_err_contains 'secret is not declared: "DATADOG_API_KEY"'
    run_cloak list -s dev -c redis
    expect_out "$(printf 'dev\tredis\tREDIS_URL\tinstance\tsops:dev-sops\tinitialized')"
    run_cloak validate -s dev -c redis
    expect_status 0
}

test_sc09_helmfile_describe_env() {
    fixture secrets-helmfile
    run_cloak describe component redis -s dev --mask=false --format json --query .env.REDIS_URL
    expect_out '"123"'
    run_cloak describe component redis -s dev --query .vars
    expect_out "$(printf 'chart_version: 1.0.0\nstage: dev')"
    run_cloak describe component redis -s dev --query .env.REDIS_URL
    expect_out "<MASKED>"
}

test_sc10_pull_masked_and_unmasked() {
    fixture secrets-helmfile
    run_cloak pull -s dev -c redis
    expect_out "REDIS_URL=<MASKED>"
    run_cloak pull -s dev -c redis --mask=false
    expect_out "REDIS_URL=123"
}

test_sc11_collision_guard() {
    fixture secrets-helmfile
    cat >>stacks/deploy/dev.yaml <<'YAML'
    cache:
      secrets:
        vars:
          CACHE_URL:
            sops: dev-sops
YAML
    run_cloak validate -s dev -c redis
    expect_status 1
    expect_err_contains "SOPS secret files collide across scopes"
}

test_sc12_scope_stamping() {
    fixture secrets-helmfile
    cat >stacks/deploy/dev.yaml <<'YAML'
vars:
  stage: dev
secrets:
  providers:
    dev-sops:
      kind: sops/age
      spec:
        file: "secrets/{{ .atmos_stack }}-{{ .atmos_component }}.enc.yaml"
        age_key_file: secrets/keys.txt
  vars:
    SHARED:
      sops: dev-sops
components:
  helmfile:
    a: {vars: {x: 1}}
    b: {vars: {x: 2}}
YAML
    run_cloak list -s dev
    expect_out "$(printf 'dev\t*\tSHARED\tstack\tsops:dev-sops\tmissing')"
    cat >>stacks/deploy/dev.yaml <<'YAML'
    c:
      secrets:
        vars:
          SHARED: {sops: dev-sops}
YAML
    run_cloak list -s dev
    expect_out "$(printf 'dev\t*\tSHARED\tstack\tsops:dev-sops\tmissing\ndev\tc\tSHARED\tinstance\tsops:dev-sops\tmissing')"
    cat >>stacks/deploy/dev.yaml <<'YAML'
    d:
      secrets:
        vars:
          OTHER: {sops: dev-sops, scope: stack}
YAML
    run_cloak describe component a -s dev
    expect_status 1
    expect_err_contains "secret scope conflicts with declaration position"
}

test_mask_patterns_and_literals_from_settings() {
    fixture secrets-helmfile
    printf 'settings:\n  terminal:\n    mask:\n      patterns: ["dev-s[o]ps"]\n      literals: ["chart_version"]\n      replacement: "[REDACTED]"\n' >>atmos.yaml
    run_cloak pull -s dev -c redis
    expect_out "REDIS_URL=[REDACTED]"
    # A configured pattern masks text that is not a resolved value (here the provider name in `cloak env`).
    run_cloak env -s dev -c redis
    expect_out_contains "sops:[REDACTED]"
    expect_out_lacks "dev-sops"
    # Built-in token shapes are masked even in documents cloak merely prints.
    printf 'token: ghp_%s\nother: fine\n' "$(printf 'a%.0s' $(seq 36))" >doc.yaml
    run_cloak eval doc.yaml
    expect_out "$(printf 'token: <MASKED>\nother: fine')"
}

test_age_key_held_in_a_store_keygen_set_get() {
    local d; d=$(mktemp -d); cd "$d"
    unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config" ATMOS_KEYRING_PASSWORD=correct-horse
    mkdir -p stacks
    cat >atmos.yaml <<'YAML'
stacks: {base_path: stacks, name_pattern: "{stage}"}
stores:
  keys: {kind: keychain, options: {backend: file, file_dir: ./keyring}}
secrets:
  providers:
    team-sops:
      kind: sops/age
      spec:
        file: "secrets/{{ .atmos_stack }}.enc.yaml"
        age_key: {store: keys}
YAML
    printf 'vars: {stage: dev}\ncomponents:\n  terraform:\n    api:\n      secrets:\n        vars:\n          X: {sops: team-sops}\n' >stacks/dev.yaml
    run_cloak keygen team-sops
    expect_status 0
    expect_out_contains "age1"
    expect_err_contains "store:keys"
    [ ! -e "$HOME/.config/sops/age/keys.txt" ] || fail "the private key went to a file, not the store"
    grep -q "AGE-SECRET-KEY" -r keyring 2>/dev/null && fail "the keyring holds the key in plaintext"
    run_cloak set X=from-store-key -s dev -c api
    expect_status 0
    run_cloak get X -s dev -c api --mask=false
    expect_out "from-store-key"
    run_cloak keygen team-sops
    expect_err_contains "already has key material"
    ATMOS_KEYRING_PASSWORD=wrong run_cloak get X -s dev -c api
    expect_status 1
    expect_err_contains 'cannot read its age key from store:keys'
}
