# describe / list on examples/quickstart and on broken repositories.

test_list_stacks_quickstart() {
    cd examples/quickstart
    run_cloak list stacks
    expect_status 0
    expect_out "$(printf 'acme-dev\nacme-prod\nacme-staging')"
}

test_list_components_hides_abstract() {
    cd examples/quickstart
    run_cloak list components -s acme-dev
    expect_status 0
    expect_out "$(printf 'app\nvpc')"
}

test_describe_component_merges_layers() {
    cd examples/quickstart
    run_cloak describe component app -s acme-prod --format json --query .vars
    expect_status 0
    expect_out_contains '"replicas": 4'
    expect_out_contains '"image": "ghcr.io/acme/app"'
    expect_out_contains '"tenant": "acme"'
}

test_describe_unknown_stack_suggests() {
    cd examples/quickstart
    run_cloak describe component app -s acme-prd
    expect_status 1
    expect_err_contains 'did you mean "acme-prod"'
    expect_err_lines 1
}

test_describe_masks_secret_tags() {
    local d; d=$(mktemp -d)
    mkdir -p "$d/stacks"
    printf 'stacks:\n  base_path: stacks\n' >"$d/atmos.yaml"
    printf 'components:\n  terraform:\n    api:\n      vars:\n        token: !secret API_TOKEN\n' >"$d/stacks/dev.yaml"
    cd "$d"
    run_cloak describe component api -s dev --query .vars.token
    expect_status 0
    expect_out "<MASKED>"
}

test_malformed_yaml_one_line_error() {
    local d; d=$(mktemp -d)
    mkdir -p "$d/stacks"
    printf 'stacks:\n  base_path: stacks\n' >"$d/atmos.yaml"
    printf 'vars:\n  a: [1, 2\n  b: 3\n' >"$d/stacks/dev.yaml"
    cd "$d"
    run_cloak list stacks
    expect_status 1
    expect_err_contains 'stacks/dev.yaml:'
    expect_err_contains 'error:'
    expect_err_lines 1
}

test_missing_stack_flag_is_usage_error() {
    cd examples/quickstart
    run_cloak describe component app
    expect_status 64
}

test_quickstart_secrets_demo() {
    cd examples/quickstart
    run_cloak get DB_PASSWORD -s acme-dev -c app --mask=false
    expect_status 0
    expect_out "quickstart-dev-db-pw"
    run_cloak validate -s acme-dev -c app
    expect_status 0
    run_cloak validate -s acme-staging -c app
    expect_status 1
    run_cloak describe component app -s acme-prod --query .vars.db_password
    expect_out "<MASKED>"
}

test_shell_completion_of_stacks_components_and_secrets() {
    cd examples/quickstart
    for shell in bash zsh fish; do
        run_cloak --generate-completion-script $shell
        expect_status 0
        expect_out_contains "cloak __complete"
    done
    # `cloak __complete INDEX -- WORDS…`: WORDS is the line without the program name, INDEX the word being completed.
    run_cloak __complete 3 -- get X -s ""
    expect_out "$(printf 'acme-dev\nacme-prod\nacme-staging')"
    run_cloak __complete 2 -- get X --stack=acme-
    expect_out "$(printf -- '--stack=acme-dev\n--stack=acme-prod\n--stack=acme-staging')"
    run_cloak __complete 5 -- get X -s acme-dev -c ""
    expect_out_contains "app"
    run_cloak __complete 1 -- get "" -s acme-dev -c app
    expect_out "$(printf 'API_TOKEN\nDB_PASSWORD')"
    run_cloak __complete 0 -- de
    expect_out "$(printf 'delete\ndescribe')"
    run_cloak __complete 1 -- list --ver
    expect_out "$(printf -- '--verbose\n--verify')"
    run_cloak __complete 2 -- get --format ""
    expect_out "$(printf 'text\njson\nenv')"
    # The script calls back and offers what comes back (bash, when it is there to run it).
    if command -v bash >/dev/null; then
        out=$(bash -c 'source <("$0" --generate-completion-script bash); PATH="$(dirname "$0"):$PATH"
            COMP_WORDS=(cloak get X -s acme-p); COMP_CWORD=4; _cloak_complete; printf "%s\n" "${COMPREPLY[@]}"' "$CLOAK")
        [ "$out" = acme-prod ] || fail "bash completion offered: $out"
        out=$(bash -c 'source <("$0" --generate-completion-script bash); PATH="$(dirname "$0"):$PATH"
            COMP_WORDS=(cloak get X --stack = acme-p); COMP_CWORD=5; _cloak_complete; printf "%s\n" "${COMPREPLY[@]}"' "$CLOAK")
        [ "$out" = acme-prod ] || fail "bash completion after --stack= offered: $out"
    fi
    if command -v fish >/dev/null; then
        out=$(PATH="$(dirname "$CLOAK"):$PATH" fish -c 'source ("$argv[1]" --generate-completion-script fish | psub); complete -C "cloak get X -s acme-dev -c app --format j"' "$CLOAK")
        [ "$out" = json ] || fail "fish completion offered: $out"
    fi
    if command -v zsh >/dev/null; then
        # compadd only works inside a completion widget; a function of the same name stands in for it here.
        out=$(PATH="$(dirname "$CLOAK"):$PATH" zsh -c 'compdef() { :; }; source <("$0" --generate-completion-script zsh)
            compadd() { shift; print -l -- ${(P)1}; }; words=(cloak get X -s ""); CURRENT=5; _cloak' "$CLOAK")
        [ "$out" = "$(printf 'acme-dev\nacme-prod\nacme-staging')" ] || fail "zsh completion offered: $out"
    fi
}
