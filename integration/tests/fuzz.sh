# Replays every input that once crashed a fuzz target (Fuzz/regressions/<target>/), plus the seed corpora.

test_fuzz_regressions_and_seeds_replay_without_crash() {
    local fuzz="$ROOT/.build/release/cloak-fuzz"
    [ -x "$fuzz" ] || { fail "cloak-fuzz not built"; return 1; }
    for target in yaml sops age dotenv template refs; do
        local inputs=()
        for f in "$ROOT/Fuzz/corpus/$target"/* "$ROOT/Fuzz/regressions/$target"/*; do [ -f "$f" ] && inputs+=("$f"); done
        [ ${#inputs[@]} -gt 0 ] || continue
        run_cloak_fuzz() { "$fuzz" "$target" "${inputs[@]}" >/dev/null 2>&1; }
        run_cloak_fuzz || fail "fuzz target $target crashed on a committed input"
    done
}
