# cloak sops / cloak age against the real sops and age binaries (both directions).

require_tools() {
    [ -x "${CLOAK_TEST_SOPS:-}" ] || { fail "real sops not found (run scripts/install-test-deps)"; return 1; }
    command -v age >/dev/null || { fail "age not installed"; return 1; }
}

sops_real() { SOPS_DISABLE_VERSION_CHECK=1 "$CLOAK_TEST_SOPS" "$@"; }

new_key() {
    work=$(mktemp -d)
    "$CLOAK" age keygen -o "$work/key.txt" 2>/dev/null
    recipient=$(grep '^# public key: ' "$work/key.txt" | cut -d' ' -f4)
    export SOPS_AGE_KEY_FILE="$work/key.txt"
}

test_sops_cloak_encrypts_real_sops_decrypts() {
    require_tools || return 1; new_key
    printf 'db:\n    password: "s3cr3t pw"\n    port: 5432\nflag: true\n' >"$work/plain.yaml"
    run_cloak sops encrypt "$work/plain.yaml" --age "$recipient"
    expect_status 0
    expect_out_lacks "s3cr3t"
    printf '%s\n' "$out" >"$work/enc.yaml"
    [ "$(sops_real -d "$work/enc.yaml")" = "$(printf 'db:\n    password: s3cr3t pw\n    port: 5432\nflag: true')" ] || fail "sops -d differs"
}

test_sops_real_sops_encrypts_cloak_decrypts_all_formats() {
    require_tools || return 1; new_key
    printf 'A=1\nB=two words\n' >"$work/x.env"
    printf '{\n\t"k": "v",\n\t"n": 3\n}\n' >"$work/x.json"
    printf 'k: v\nlist:\n    - a\n    - b\n' >"$work/x.yaml"
    printf '[sec]\nkey = value\n' >"$work/x.ini"
    for f in x.env x.json x.yaml x.ini; do
        sops_real -e --age "$recipient" "$work/$f" >"$work/enc.$f"
        run_cloak sops decrypt "$work/enc.$f" --input-type "${f#x.}"
        [ "${f#x.}" = env ] && run_cloak sops decrypt "$work/enc.$f" --input-type dotenv
        expect_status 0
        [ "$out" = "$(sops_real -d "$work/enc.$f")" ] || fail "$f: cloak and sops disagree"
    done
}

test_sops_set_keeps_other_ciphertexts_and_sops_reads_it() {
    require_tools || return 1; new_key
    printf 'a: one\nb: two\n' >"$work/p.yaml"
    sops_real -e --age "$recipient" "$work/p.yaml" >"$work/s.yaml"
    before_b=$(grep '^b:' "$work/s.yaml")
    run_cloak sops set "$work/s.yaml" '["a"]' '"changed"'
    expect_status 0
    [ "$(grep '^b:' "$work/s.yaml")" = "$before_b" ] || fail "unchanged value b was re-encrypted"
    [ "$(sops_real -d --extract '["a"]' "$work/s.yaml")" = "changed" ] || fail "sops does not read the new value"
    [ "$(stat -c %a "$work/s.yaml")" = 600 ] || fail "mode is not 0600"
}

test_sops_tampered_value_is_refused() {
    require_tools || return 1; new_key
    printf 'a: one\nb_unencrypted: visible\n' >"$work/p.yaml"
    "$CLOAK" sops encrypt "$work/p.yaml" --age "$recipient" >"$work/s.yaml"
    sed -i 's/visible/edited/' "$work/s.yaml"
    run_cloak sops decrypt "$work/s.yaml"
    expect_status 1
    expect_err_contains "MAC mismatch"
    expect_out ""
}

test_sops_wrong_key_gives_hint() {
    require_tools || return 1; new_key
    printf 'a: one\n' >"$work/p.yaml"
    "$CLOAK" sops encrypt "$work/p.yaml" --age "$recipient" >"$work/s.yaml"
    "$CLOAK" age keygen -o "$work/other.txt" 2>/dev/null
    SOPS_AGE_KEY_FILE="$work/other.txt" run_cloak sops decrypt "$work/s.yaml"
    expect_status 1
    expect_err_contains "SOPS_AGE_KEY_FILE"
    expect_err_lines 1
}

test_sops_edit_refuses_invalid_yaml_and_keeps_file() {
    require_tools || return 1; new_key
    printf 'a: one\n' >"$work/p.yaml"
    "$CLOAK" sops encrypt "$work/p.yaml" --age "$recipient" >"$work/s.yaml"
    cp "$work/s.yaml" "$work/before.yaml"
    EDITOR="sh -c 'echo \"bad: [\" >> \$0'" run_cloak sops edit "$work/s.yaml" </dev/null
    expect_status 1
    cmp -s "$work/s.yaml" "$work/before.yaml" || fail "file changed after a refused edit"
    [ -z "$(ls /dev/shm | grep cloak-edit || true)" ] || fail "plaintext copy left in /dev/shm"
}

test_sops_edit_killed_copy_is_swept_by_next_edit_live_one_kept() {
    # kill -9 skips the wipe; the next edit must find the abandoned plaintext copy (its lock died with the process)
    # and wipe it, while a copy whose edit is still running stays.
    require_tools || return 1; new_key
    printf 'a: one\n' >"$work/p.yaml"
    "$CLOAK" sops encrypt "$work/p.yaml" --age "$recipient" >"$work/s.yaml"
    # First edit: the editor records its file and hangs; cloak is then killed with SIGKILL.
    EDITOR="sh -c 'echo \$\$ > $work/editor-pid; echo \$0 > $work/killed-path; exec sleep 60'" \
        "$CLOAK" sops edit "$work/s.yaml" </dev/null &
    local victim=$!
    wait_for_file "$work/killed-path" || { fail "editor did not start"; return 1; }
    local killed; killed=$(cat "$work/killed-path")
    grep -q 'a: one' "$killed" || fail "plaintext copy not where the editor was told"
    kill -9 "$victim"; wait "$victim" 2>/dev/null || true
    kill "$(cat "$work/editor-pid")" 2>/dev/null || true
    [ -f "$killed" ] || fail "precondition: a SIGKILLed edit should leave its copy (nothing else can remove it)"
    # Second edit, still running: its directory must survive the third edit's sweep.
    EDITOR="sh -c 'echo \$0 > $work/live-path; while [ ! -f $work/release ]; do sleep 0.1; done'" \
        "$CLOAK" sops edit "$work/s.yaml" </dev/null &
    local live=$!
    wait_for_file "$work/live-path" || { fail "second editor did not start"; return 1; }
    local livecopy; livecopy=$(cat "$work/live-path")
    [ ! -e "$killed" ] || fail "abandoned plaintext copy $killed not swept by the next edit"
    [ ! -d "$(dirname "$killed")" ] || fail "abandoned edit directory not removed"
    # Third edit, of a file in another directory (the second edit holds its directory's writer lock), while the
    # second runs.
    mkdir -p "$work/elsewhere"; cp "$work/s.yaml" "$work/elsewhere/other.yaml"
    EDITOR=true run_cloak sops edit "$work/elsewhere/other.yaml" </dev/null
    expect_status 0
    # A write in the busy directory says why it waits instead of hanging silently.
    "$CLOAK" sops set "$work/s.yaml" '["b"]' '"two"' 2>"$work/wait-err" &
    local writer=$!
    wait_for_file "$work/wait-err" || fail "a blocked writer printed no waiting notice"
    grep -q "waiting for another writer in $work" "$work/wait-err" || fail "waiting notice lacks the directory: $(cat "$work/wait-err")"
    [ -f "$livecopy" ] || fail "a running edit's copy was swept"
    touch "$work/release"; wait "$live" || fail "second edit failed after the sweep"
    wait "$writer" || fail "the waiting writer failed once the edit ended"
    [ "$("$CLOAK" sops decrypt --extract '["b"]' "$work/s.yaml")" = two ] || fail "the waiting writer's value was lost"
    [ ! -e "$(dirname "$livecopy")" ] || fail "second edit did not clean up"
    # Any copy abandoned before this test was swept too: nothing may be left.
    local after; after=$(ls -d /dev/shm/cloak-edit-* 2>/dev/null || true)
    [ -z "$after" ] || fail "edit directories left behind: $after"
}

test_age_keys_interoperate_with_age_binary() {
    require_tools || return 1; new_key
    echo "payload" | age -r "$recipient" -o "$work/msg.age"
    age -d -i "$work/key.txt" "$work/msg.age" | grep -q payload || fail "age cannot use cloak's key file"
}

test_sops_both_aes_gcm_paths_interoperate_with_real_sops() {
    # The AES-NI path and the OpenSSL EVP fallback (CPUs without AES-NI) must each read and write what sops does.
    require_tools || return 1; new_key
    printf 'a: "first value"\nnested:\n    b: "second: value"\nn: 42\n' >"$work/plain.yaml"
    sops_real -e --age "$recipient" "$work/plain.yaml" >"$work/by-sops.yaml"
    local want; want=$(sops_real -d "$work/by-sops.yaml")
    for path in hardware evp; do
        local mode=""; [ "$path" = evp ] && mode=evp
        out=$(CLOAK_AESGCM=$mode "$CLOAK" sops decrypt "$work/by-sops.yaml") || fail "$path: cloak cannot decrypt sops's file"
        [ "$out" = "$want" ] || fail "$path: cloak and sops disagree on decrypt"
        CLOAK_AESGCM=$mode "$CLOAK" sops encrypt "$work/plain.yaml" --age "$recipient" >"$work/by-cloak-$path.yaml" \
            || fail "$path: cloak cannot encrypt"
        [ "$(sops_real -d "$work/by-cloak-$path.yaml")" = "$want" ] || fail "$path: sops cannot read cloak's file"
    done
}
