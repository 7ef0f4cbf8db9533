# Replays every input that once crashed a fuzz target (Fuzz/regressions/<target>/), plus the seed corpora
# (Fuzz/corpus/<target>/), through a normal build of cloak-fuzz.

test_fuzz_regressions_and_seeds_replay_without_crash() {
    local fuzz="$ROOT/.build/release/cloak-fuzz"
    [ -x "$fuzz" ] || { fail "cloak-fuzz not built"; return 1; }
    # The targets the binary knows, from its usage line: `usage: cloak-fuzz {yaml|sops|…} FILE…`.
    local known
    known=$("$fuzz" | sed -n 's/^usage: cloak-fuzz {\([^}]*\)}.*/\1/p' | tr '|' ' ')
    [ -n "$known" ] || { fail "cannot read the fuzz targets from cloak-fuzz's usage line"; return 1; }
    # A directory named after no target would never be replayed: refuse it.
    local dir
    for dir in "$ROOT"/Fuzz/corpus/*/ "$ROOT"/Fuzz/regressions/*/; do
        [ -d "$dir" ] || continue
        case " $known " in *" $(basename "$dir") "*) ;; *) fail "$dir names no fuzz target (known: $known)" ;; esac
    done
    local target replayed=0
    for target in $known; do
        local inputs=()
        for f in "$ROOT/Fuzz/corpus/$target"/* "$ROOT/Fuzz/regressions/$target"/*; do
            [ -f "$f" ] && [ "$(basename "$f")" != README.md ] && inputs+=("$f")
        done
        [ ${#inputs[@]} -gt 0 ] || { fail "fuzz target $target has no seed corpus"; continue; }
        "$fuzz" "$target" "${inputs[@]}" >/dev/null 2>&1 || fail "fuzz target $target crashed on a committed input"
        replayed=$((replayed + ${#inputs[@]}))
    done
    [ "$replayed" -gt 0 ] || fail "no fuzz input replayed"
}
