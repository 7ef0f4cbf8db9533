# Start-up shortcuts must never change behaviour: every spelling `exec` accepts means the same, and libcurl is
# loaded only when a request is made. Uses integration/fixtures/runners (secret DB_PASSWORD).

# Runs an exec line and checks that it prints and exits as the reference line did ($ref_out, $ref_err, $ref_status).
exec_same_as_reference() {
    run_cloak "$@"
    [ "$status" -eq "$ref_status" ] || fail "exit $status vs $ref_status for: $*"
    [ "$out" = "$ref_out" ] || fail "stdout differs from the reference for: $*"
    [ "$err" = "$ref_err" ] || fail "stderr differs from the reference for: $*"
}

test_exec_command_line_spellings() {
    runners
    local show='echo "$DB_PASSWORD|$LEVEL|$(env | grep -c .)"'
    local ref_out ref_err ref_status
    run_cloak exec -s dev -c app -- sh -c "$show"
    expect_status 0
    expect_out_contains "runner-db-pw-42"
    ref_out=$out ref_err=$err ref_status=$status
    exec_same_as_reference exec --stack dev --component app -- sh -c "$show"
    exec_same_as_reference exec --stack=dev --component=app -- sh -c "$show"
    exec_same_as_reference exec -sdev -capp -- sh -c "$show"
    exec_same_as_reference exec -c app -s dev --type terraform -- sh -c "$show"
    exec_same_as_reference exec -s dev -c app --strict --supervise --kill-timeout 5s -- sh -c "$show"
    exec_same_as_reference exec -s dev -c app --mask=false --no-github-mask --base-path . --config-path atmos.yaml -- sh -c "$show"
    exec_same_as_reference exec -s dev -c app --mask false --config atmos.yaml --config-path atmos.yaml -- sh -c "$show"
    # Everything after -- belongs to the command, options and --help included.
    run_cloak exec -s dev -c app -- sh -c 'echo "$0 $*"' --help -s prod --
    expect_status 0
    expect_out "--help -s prod --"
    run_cloak exec -s dev -c app --pristine -- sh -c "$show"
    expect_status 0
    expect_out_contains "runner-db-pw-42|"
    run_cloak exec -c app -s dev -- sh -c 'exit 9'
    expect_status 9
    # Help, and command lines the parser refuses: one line, exit 64, nothing run.
    run_cloak exec -s dev -c app --help
    expect_status 0
    expect_out_contains "USAGE: cloak exec"
    expect_out_contains "--kill-timeout"
    run_cloak exec -h
    expect_status 0
    expect_out_contains "USAGE: cloak exec"
    local line
    for line in "-s dev -s prod -c app -- true" "-s dev -c app --no-such-flag -- true" "-s dev -c app --mask=maybe -- true" \
        "-s dev -c app --kill-timeout -- true" "-s dev -c app --pristine=yes -- true" "-s dev -c app stray -- true"; do
        # shellcheck disable=SC2086
        run_cloak exec $line
        expect_status 64
        expect_err_lines 1
        expect_out ""
    done
    run_cloak exec -s dev -c app --no-such-flag -- true
    expect_err_contains "unknown option '--no-such-flag'"
    run_cloak exec -s dev -c app --kill-timeout -- true
    expect_err_contains "missing value for '--kill-timeout"
    run_cloak exec -s dev -c app
    expect_status 1
    expect_err_contains "no command specified"
    run_cloak exec -s nosuchstack -c app -- true
    expect_status 1
}

test_command_line_help_and_errors() {
    run_cloak
    expect_status 0
    expect_out_contains "USAGE: cloak"
    expect_out_contains "SUBCOMMANDS:"
    expect_out_lacks "__complete"
    run_cloak help sops encrypt
    expect_status 0
    expect_out_contains "USAGE: cloak sops encrypt"
    expect_out_contains "--hc-vault-transit"
    run_cloak sops
    expect_status 0
    expect_out_contains "SUBCOMMANDS:"
    run_cloak list components --help
    expect_status 0
    expect_out_contains "-s, --stack <stack>"
    run_cloak version
    expect_status 0
    expect_out "cloak 0.1.0-dev"
    run_cloak nosuchcommand
    expect_status 64
    expect_err_contains "unknown command 'nosuchcommand'"
    expect_err_lines 1
    run_cloak get
    expect_status 64
    expect_err_contains "missing argument <name>"
    run_cloak list --format xml
    expect_status 64
    expect_err_contains "invalid value 'xml' for '--format'"
    run_cloak sops encrypt -i
    expect_status 64
    expect_err_contains "missing argument <file>"
    # A value typed as a separate word is refused without being repeated (it would land in CI logs).
    run_cloak set DB_PASSWORD hunter2-in-argv -s dev -c app
    expect_status 64
    expect_err_lines 1
    [[ "$err" != *hunter2-in-argv* ]] || fail "the refused word reached stderr: $err"
    expect_err_contains "1 more argument than 'cloak set' takes"
}

test_sops_exec_runs_without_libcurl() {
    [ "$(id -u)" -eq 0 ] || { fail "needs root to hide libcurl in a mount namespace"; return 1; }
    command -v unshare >/dev/null || { fail "unshare (util-linux) missing"; return 1; }
    runners
    local lib
    lib=$(ldconfig -p | awk '/libcurl\.so\.4 /{print $NF; exit}')
    [ -n "$lib" ] || { fail "libcurl.so.4 not found by ldconfig"; return 1; }
    lib=$(readlink -f "$lib")
    # libcurl replaced by an empty file: a SOPS-only exec never needs it; a store request says what is missing.
    out=$(unshare -m sh -c "mount --bind /dev/null '$lib' && '$CLOAK' exec -s dev -c app -- sh -c 'echo \$DB_PASSWORD'" 2>&1) \
        || fail "exec failed without libcurl: $out"
    [ "$out" = "runner-db-pw-42" ] || fail "unexpected output without libcurl: $out"
    out=$(unshare -m sh -c "mount --bind /dev/null '$lib' && AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y AWS_ENDPOINT_URL=http://127.0.0.1:9 '$CLOAK' ref get 'ref+awsssm:///x?region=us-east-1'" 2>&1) \
        && fail "a store request without libcurl succeeded"
    [[ "$out" == *"libcurl.so.4 could not be loaded"* ]] || fail "no clear error without libcurl: $out"
}

test_release_binary_binds_no_shared_crypto_or_yaml_library() {
    # Each shared library costs symbol binding at every start (Package.swift links the archives instead); a
    # regression here is a silent ~1.5 ms on every exec. CLOAK_SHARED_LIBS=1 builds are exempt by design.
    [ "${CLOAK_SHARED_LIBS:-}" = 1 ] && return 0
    local needed; needed=$(readelf -d "$CLOAK" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    [ -n "$needed" ] || { fail "readelf found no NEEDED entries in $CLOAK"; return 1; }
    local lib
    for lib in libsodium libyaml libseccomp libcrypto libssl libcurl libstdc++ libgcc_s; do
        [[ " $needed" != *" $lib"* ]] || fail "$CLOAK needs the shared $lib at start-up ($needed)"
    done
    # What is linked in must still work: an age round trip (libsodium), a SOPS decrypt with the linked-in GCM code
    # (libcrypto's archive) and a YAML parse.
    new_key
    printf 'token: "linked-in"\n' >"$work/p.yaml"
    "$CLOAK" sops encrypt "$work/p.yaml" --age "$recipient" >"$work/s.yaml" || fail "encrypt failed"
    out=$("$CLOAK" sops decrypt --extract '["token"]' "$work/s.yaml")
    [ "$out" = linked-in ] || fail "decrypt through the linked-in GCM code failed"
}

test_release_binary_packs_its_relative_relocations() {
    # 43,000 relative relocations as RELA entries are 1 MiB the loader reads at every start; lld's DT_RELR packs
    # them into a few KiB (Package.swift). CLOAK_RELR=0 builds (for glibc < 2.36) are exempt by design.
    [ "${CLOAK_RELR:-}" = 0 ] && return 0
    readelf -d "$CLOAK" | grep -q '(RELR) ' || fail "$CLOAK has no DT_RELR table"
    local hex; hex=$(readelf -SW "$CLOAK" | sed -n 's/.* \.rela\.dyn  *RELA  *[0-9a-f]*  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
    [ -n "$hex" ] || { fail "readelf shows no .rela.dyn section in $CLOAK"; return 1; }
    local rela=$((16#$hex))
    [ "$rela" -lt 65536 ] || fail "$CLOAK still carries $rela bytes of RELA relocations"
}

test_openssl_evp_layer_is_loaded_only_when_needed() {
    # OpenSSL's EVP/BN/PEM layers come from libcrypto.so.3 through dlopen (ccrypto.h): linked in, their tables cost
    # ~16,000 relocations at every start. The SOPS path must not load the library; the EVP path must load it and work.
    [ "${CLOAK_SHARED_LIBS:-}" = 1 ] && return 0
    if nm "$CLOAK" 2>/dev/null | grep -qE ' [TtDdRr] (EVP_CIPHER_fetch|OSSL_PROVIDER_load|PEM_read_bio_PrivateKey)$'; then
        fail "OpenSSL's EVP/provider layer is linked into $CLOAK"
    fi
    new_key
    printf 'token: "on-demand"\n' >"$work/p.yaml"
    "$CLOAK" sops encrypt "$work/p.yaml" --age "$recipient" >"$work/s.yaml" || fail "encrypt failed"
    LD_DEBUG=libs "$CLOAK" sops decrypt --extract '["token"]' "$work/s.yaml" >"$work/out" 2>"$work/ld"
    [ "$(cat "$work/out")" = on-demand ] || fail "decrypt on the AES-NI path failed"
    if grep -qw aes /proc/cpuinfo && grep -q 'libcrypto.so' "$work/ld"; then
        fail "a SOPS decrypt on an AES-NI CPU loaded libcrypto.so"
    fi
    CLOAK_AESGCM=evp LD_DEBUG=libs "$CLOAK" sops decrypt --extract '["token"]' "$work/s.yaml" >"$work/out" 2>"$work/ld"
    [ "$(cat "$work/out")" = on-demand ] || fail "decrypt on the EVP path failed"
    grep -q 'calling init: .*libcrypto.so.3' "$work/ld" || fail "the EVP path did not load libcrypto.so.3"
}

test_release_binary_is_position_independent() {
    # A non-PIE cloak starts ~0.7 ms faster (no relocations to apply, docs/BENCHMARKS.md) but would put its code at
    # a fixed address in a process that holds every secret of the run; it stays PIE, and this keeps it so.
    local type; type=$(readelf -h "$CLOAK" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')
    [ "$type" = DYN ] || fail "$CLOAK is not position-independent (ELF type $type)"
    readelf -d "$CLOAK" | grep -q 'FLAGS_1.*PIE' || fail "$CLOAK lacks the PIE flag"
}
