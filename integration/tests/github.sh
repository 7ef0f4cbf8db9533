# github/actions store against integration/fakes/fake_github_api.py: values are sealed (libsodium crypto_box_seal)
# to the repository's or environment's public key and opened by the fake; reads come from the environment of a
# workflow run.

GH_PORT="${GH_PORT:-8482}"
eval "_gh_prev_exit=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_gh_prev_exit:+$_gh_prev_exit; }\"\$ROOT/integration/servers/fake-server.sh\" stop github >/dev/null 2>&1 || true" EXIT

github_fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/github-secrets/." "$d/"
    cd "$d"
    sed -i "s/GH_PORT/$GH_PORT/" atmos.yaml
    export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config"
    mkdir -p "$HOME"
    "$ROOT/integration/servers/fake-server.sh" start github "http://127.0.0.1:$GH_PORT/__secrets" fake_github_api.py \
        "$GH_PORT" gh-test-token acme/infra production || { fail "fake github did not start"; return 1; }
    export GITHUB_TOKEN=gh-test-token
    unset GITHUB_ACTIONS GH_TOKEN ATMOS_GITHUB_TOKEN ATMOS_PRO_GITHUB_TOKEN GITHUB_API_URL API_KEY CLOAK_DEPLOY_KEY
}

# gh_value SCOPE NAME: the plaintext the fake opened from the sealed box (empty when absent).
gh_value() {
    curl -fsS "http://127.0.0.1:$GH_PORT/__secrets" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'].get('$2', ''))"
}

test_github_set_seals_values_and_reads_inside_a_run() {
    github_fixture || return
    run_cloak set API_KEY=repo-key-1 -s dev -c api
    expect_status 0
    run_cloak set 'DEPLOY_KEY=prod key "2"' -s dev -c api
    expect_status 0
    [ "$(gh_value repo API_KEY)" = repo-key-1 ] || fail "repository secret is '$(gh_value repo API_KEY)'"
    [ "$(gh_value production CLOAK_DEPLOY_KEY)" = 'prod key "2"' ] || fail "environment secret is '$(gh_value production CLOAK_DEPLOY_KEY)'"
    [ -z "$(gh_value repo CLOAK_DEPLOY_KEY)" ] || fail "the environment secret went to the repository"
    # Updating replaces the value.
    run_cloak set API_KEY=repo-key-2 -s dev -c api
    expect_status 0
    [ "$(gh_value repo API_KEY)" = repo-key-2 ] || fail "update did not land"
    # Outside a workflow run: status through the metadata endpoint, values refused with the reason.
    run_cloak list -s dev -c api --verify
    expect_status 0
    expect_out_contains $'API_KEY\tinstance\tstore:gh\tinitialized'
    expect_out_contains $'DEPLOY_KEY\tinstance\tstore:gh-prod\tinitialized'
    run_cloak get API_KEY -s dev -c api --mask=false
    expect_status 1
    expect_err_contains 'GitHub Actions secret API_KEY can be read only inside a GitHub Actions run'
    expect_err_lines 1
    # Inside a run the workflow maps the secrets into the environment; cloak exports them under their declared names.
    GITHUB_ACTIONS=true API_KEY=repo-key-2 CLOAK_DEPLOY_KEY='prod key "2"' run_cloak exec -s dev -c api -- sh -c 'echo "$API_KEY|$DEPLOY_KEY"'
    expect_status 0
    # On a runner the values are also registered for GitHub's log masking before the child starts.
    expect_out $'::add-mask::repo-key-2\n::add-mask::prod key "2"\nrepo-key-2|prod key "2"'
    # A secret the workflow did not map: the usual warning, the child still runs; a required one stops it.
    GITHUB_ACTIONS=true API_KEY=repo-key-2 run_cloak exec -s dev -c api -- true
    expect_status 0
    expect_err_contains 'Skipping DEPLOY_KEY: GitHub Actions secret CLOAK_DEPLOY_KEY is not present in the environment; map it in the workflow'
    GITHUB_ACTIONS=true run_cloak exec -s dev -c strict-api -- touch started
    [ "$status" -ne 0 ] || fail "a required secret missing from the run's environment did not stop the command"
    [ ! -e started ] || fail "the child started"
    # Delete is idempotent, as upstream.
    run_cloak delete API_KEY -s dev -c api --force
    expect_status 0
    [ -z "$(gh_value repo API_KEY)" ] || fail "delete left the secret"
    run_cloak delete API_KEY -s dev -c api --force
    expect_status 0
    run_cloak list -s dev -c api --verify
    expect_out_contains $'API_KEY\tinstance\tstore:gh\tmissing'
}

test_github_token_and_name_errors_are_one_line() {
    github_fixture || return
    GITHUB_TOKEN=wrong-token run_cloak set API_KEY=x -s dev -c api
    expect_status 1
    expect_err_contains 'HTTP 401: the GitHub token was refused or may not manage Actions secrets of acme/infra'
    expect_err_lines 1
    [[ "$err" != *wrong-token* ]] || fail "the token was echoed"
    unset GITHUB_TOKEN
    run_cloak set API_KEY=x -s dev -c api
    expect_status 1
    expect_err_contains 'no GitHub token; set options.token or GITHUB_TOKEN'
    export GITHUB_TOKEN=gh-test-token
    run_cloak set GITHUB_PAT=x -s dev -c reserved
    expect_status 1
    expect_err_contains 'GitHub reserves secret names starting with GITHUB_'
    # The value never reaches stderr or the fake's error path.
    [[ "$err" != *"=x"* ]] || fail "the value was echoed"
}

GH_PROXY_PORT="${GH_PROXY_PORT:-8484}"

test_github_fault_matrix_through_proxy() {
    github_fixture || return
    local proxy
    proxy=$(start_fault_proxy "http://127.0.0.1:$GH_PORT" "$GH_PROXY_PORT") || { fail "proxy did not start"; return; }
    sed -i "s#http://127.0.0.1:$GH_PORT#$proxy#" atmos.yaml
    local bounded; bounded=$(bounded_cloak)
    local CLOAK=$bounded
    # Throttled twice, then the public key and the upload.
    fault_mode "$proxy" "429-first:2"
    run_cloak set API_KEY=after-throttle -s dev -c api
    expect_status 0
    [ "$(gh_value repo API_KEY)" = after-throttle ] || fail "the value did not land after throttling"
    [ "$(fault_count "$proxy")" = 4 ] || fail "expected 4 requests, the proxy saw $(fault_count "$proxy")"
    local mode want
    for mode in 429 500 reset malformed "huge:50"; do
        case "$mode" in
        429) want="throttled (HTTP 429) after 3 attempts" ;;
        500) want="server error (HTTP 500) after 3 attempts" ;;
        reset) want="connection was reset after 3 attempts" ;;
        malformed) want="not valid JSON" ;;
        huge:50) want="response is larger than 10 MB" ;;
        esac
        fault_mode "$proxy" "$mode"
        run_cloak set API_KEY=never-lands -s dev -c api
        expect_status 1
        expect_err_contains "$want"
        expect_err_lines 1
        [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body ($mode)"
        [[ "$err" != *never-lands* ]] || fail "error echoes the value ($mode)"
    done
    [ "$(gh_value repo API_KEY)" = after-throttle ] || fail "a failed set changed the secret"
    # The last store in atmos.yaml (gh-prod, which holds DEPLOY_KEY) gets a 1 s timeout and 2 attempts.
    printf '      timeout: 1\n      max_attempts: 2\n' >>atmos.yaml
    fault_mode "$proxy" "delay:5"
    run_cloak set DEPLOY_KEY=never-lands -s dev -c api
    expect_status 1
    expect_err_contains "request timed out after 2 attempts"
    expect_err_lines 1
    fault_mode "$proxy" none
    stop_fault_proxy "$GH_PROXY_PORT"
}
