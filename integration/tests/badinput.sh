# The bad-input corpus (Tests/BadInput/cases): each case must fail with its exit code and exactly one stderr line
# containing the expected text — never a crash, a stack trace or output on stdout.

test_bad_input_corpus() {
    local total=0 bad=0
    for dir in "$ROOT"/Tests/BadInput/cases/*/; do
        total=$((total + 1))
        local name; name=$(basename "$dir")
        local args exit_code expected envs
        args=$(sed -n 's/^args: //p' "$dir/case.txt")
        exit_code=$(sed -n 's/^exit: //p' "$dir/case.txt")
        expected=$(sed -n 's/^stderr: //p' "$dir/case.txt")
        envs=$(sed -n 's/^env: //p' "$dir/case.txt")
        local work; work=$(mktemp -d)
        cp -r "$dir/repo/." "$work/"
        local o e
        o=$(mktemp) e=$(mktemp)
        set +e
        (cd "$work" && env -u CI HOME="$work/home" XDG_CACHE_HOME="$work/cache" SOPS_AGE_KEY_FILE="$work/key.txt" $envs \
            sh -c "exec \"\$0\" $args" "$CLOAK" </dev/null >"$o" 2>"$e")
        local got=$?
        set -e
        local lines; lines=$(grep -c . "$e" || true)
        if [ "$got" -ne "$exit_code" ] || ! grep -qF -- "$expected" "$e" || [ "$lines" -ne 1 ] || [ -s "$o" ] \
            || grep -qE 'Fatal error|Stack dump|Segmentation|Illegal instruction' "$e"; then
            bad=$((bad + 1))
            echo "    $name: exit $got (want $exit_code), stderr: $(head -c 300 "$e")" >&2
        fi
        rm -rf "$work" "$o" "$e"
    done
    echo "    bad-input corpus: $((total - bad))/$total cases as expected" >&2
    [ "$bad" -eq 0 ] || fail "$bad of $total bad-input cases did not fail as expected"
    [ "$total" -ge 60 ] || fail "corpus has only $total cases"
}
