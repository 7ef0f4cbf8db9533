# cloak exec / shell / runners on integration/fixtures/runners (secret DB_PASSWORD=runner-db-pw-42).

runners() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/runners/." "$d/"
    cd "$d"
    export PATH="$d/tools:$PATH"
    unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE GITHUB_ACTIONS
}

test_exec_env_precedence_and_secret_wins() {
    runners
    LEVEL=parent DB_PASSWORD=from-parent run_cloak exec -s dev -c app -- sh -c 'echo "$LEVEL|$FROM_ATMOS|$DB_PASSWORD|$DB_URL"'
    expect_status 0
    expect_out "component|yes|runner-db-pw-42|runner-db-pw-42"
}

test_exec_pristine_keeps_only_the_base() {
    runners
    KEEP_ME=1 run_cloak exec -s dev -c app --pristine -- sh -c 'env | cut -d= -f1 | sort | tr "\n" " "'
    expect_status 0
    expect_out_lacks "KEEP_ME"
    expect_out_contains "DB_PASSWORD"
    expect_out_contains "PATH"
}

test_exec_exit_codes() {
    runners
    run_cloak exec -s dev -c app -- true; expect_status 0
    run_cloak exec -s dev -c app -- sh -c 'exit 7'; expect_status 7
    run_cloak exec -s dev -c app -- no-such-command-xyz; expect_status 127
    expect_err_contains "command not found"
    printf 'not a program' >notexec.sh; chmod 644 notexec.sh
    run_cloak exec -s dev -c app -- ./notexec.sh; expect_status 126
    run_cloak exec -s dev -c app; expect_status 1
    expect_err_contains "no command specified"
}

test_exec_warns_once_when_memory_cannot_be_locked() {
    # With `ulimit -l 0` and no CAP_IPC_LOCK, secrets in memory may reach swap: one warning line, then the child
    # runs as usual. Root keeps the capability unless setpriv drops it.
    # The sanitizers (ASan and TSan alike) replace mlock with a no-op that reports success, so a sanitized build
    # never sees the failure.
    [ -n "${CLOAK_SANITIZER:-}" ] && return 0
    runners
    local drop=()
    [ "$(id -u)" = 0 ] && drop=(setpriv --bounding-set=-ipc_lock --inh-caps=-ipc_lock)
    local o e
    o=$(mktemp) e=$(mktemp)
    (ulimit -l 0 && exec "${drop[@]}" "$CLOAK" exec -s dev -c app -- sh -c 'echo "$DB_PASSWORD"') >"$o" 2>"$e" \
        || fail "exec failed: $(cat "$e")"
    [ "$(cat "$o")" = runner-db-pw-42 ] || fail "the child did not get its secret: $(cat "$o")"
    local want="warning: cannot lock memory (RLIMIT_MEMLOCK 0 KiB): secrets in memory may be swapped to disk; raise 'ulimit -l' to keep them in RAM"
    [ "$(cat "$e")" = "$want" ] || fail "stderr is not the one warning line: $(cat "$e")"
}

test_exec_death_by_signal_passes_through() {
    runners
    for mode in "" "--supervise"; do
        run_cloak exec -s dev -c app $mode -- sh -c 'kill -TERM $$'
        expect_status 143
        run_cloak exec -s dev -c app $mode -- sh -c 'kill -KILL $$'
        expect_status 137
    done
}

test_exec_forwards_sigterm_and_sighup_when_supervising() {
    runners
    for sig in TERM HUP; do
        out=$(mktemp)
        "$CLOAK" exec -s dev -c app --supervise -- sh -c "trap 'echo got-$sig; exit 3' $sig; echo ready; while :; do sleep 0.05; done" >"$out" 2>&1 &
        pid=$!
        for _ in $(seq 50); do grep -q ready "$out" && break; sleep 0.1; done
        kill -$sig $pid
        set +e; wait $pid; status=$?; set -e
        grep -q "got-$sig" "$out" || fail "SIG$sig not forwarded: $(cat "$out")"
        expect_status 3
    done
}

test_exec_sigint_from_terminal_reaches_child_once() {
    runners
    python3 - "$CLOAK" <<'PY' || fail "double or missing SIGINT"
import os, pty, sys, time, select
cloak = sys.argv[1]
script = "n=0; trap 'n=$((n+1)); echo INT:$n' INT; echo ready; sleep 1; sleep 1; echo final:$n"
pid, fd = pty.fork()
if pid == 0:
    os.execv(cloak, [cloak, "exec", "-s", "dev", "-c", "app", "--supervise", "--", "sh", "-c", script])
buf = b""
def read_until(token, timeout=10):
    global buf
    end = time.time() + timeout
    while token not in buf and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: buf += os.read(fd, 1024)
            except OSError: break
    return token in buf
assert read_until(b"ready"), buf
os.write(fd, b"\x03")
read_until(b"final:", 15)
os.waitpid(pid, 0)
text = buf.decode(errors="replace")
sys.exit(0 if "final:1" in text else 1)
PY
}

test_exec_masks_output_across_reads() {
    runners
    run_cloak exec -s dev -c app --mask-output -- sh -c 'printf "runner-"; sleep 0.05; printf "db-pw"; sleep 0.05; printf "%s\n" "-42"; printf "%s" "$DB_PASSWORD" | base64'
    expect_status 0
    expect_out "$(printf '<MASKED>\n<MASKED>')"
}

test_exec_github_actions_mask_commands() {
    runners
    GITHUB_ACTIONS=true run_cloak exec -s dev -c app -- true
    expect_out_contains "::add-mask::runner-db-pw-42"
    GITHUB_ACTIONS=true run_cloak exec -s dev -c app --no-github-mask -- true
    expect_out_lacks "::add-mask::"
}

test_exec_required_secret_missing_starts_nothing() {
    runners
    rm secrets/dev.enc.yaml
    run_cloak exec -s dev -c app -- sh -c 'echo started'
    expect_status 1
    expect_out_lacks "started"
    expect_err_contains "DB_PASSWORD"
}

test_shell_on_a_pty() {
    runners
    python3 - "$CLOAK" <<'PY' || fail "shell session failed"
import os, pty, sys, time, select
cloak = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.environ["SHELL"] = "/bin/sh"
    os.execv(cloak, [cloak, "shell", "-s", "dev", "-c", "app", "--", "-i"])
buf = b""
def pump(seconds):
    global buf
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: buf += os.read(fd, 4096)
            except OSError: return
time.sleep(0.5); pump(0.5)
os.write(fd, b'test -t 1 && echo "tty:yes lvl:$ATMOS_SHLVL pw:${#DB_PASSWORD}"\n'); pump(1)
os.write(fd, b"\x03"); pump(0.3)
os.write(fd, b"echo still-alive\n"); pump(0.5)
os.write(fd, b"exit 5\n"); pump(1)
_, status = os.waitpid(pid, 0)
text = buf.decode(errors="replace")
ok = "tty:yes lvl:1 pw:15" in text and "still-alive" in text and "Exited shell" in text and os.WEXITSTATUS(status) == 5
if not ok: print(text, status, file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

test_terraform_runner_scrubs_secret_vars_from_the_var_file() {
    runners
    run_cloak terraform plan app -s dev
    expect_status 0
    expect_out_contains "varfile-path=/dev/fd/3"
    expect_out_contains 'region = "eu-west-1"'
    expect_out_contains 'dsn_like = "postgres://app@db/app"'
    expect_out_lacks "runner-db-pw-42"
    expect_out_lacks "connection ="
    expect_out_contains "TF_VAR_connection=<set>"
    expect_out_contains "cwd=app"
    # Nothing was written under the repository or the temp dirs while it ran.
    marker=$(mktemp); sleep 0.01
    HOLD=1 "$CLOAK" terraform plan app -s dev >/dev/null 2>&1 &
    sleep 0.5
    # Files created since the marker, anywhere cloak could have written one.
    found=$(find . /tmp /dev/shm "${TMPDIR:-/tmp}" -type f -newer "$marker" 2>/dev/null | xargs -r grep -l "runner-db-pw-42" 2>/dev/null || true)
    [ -z "$found" ] || fail "secret found on disk: $found"
    if grep -rl "eu-west-1" . 2>/dev/null | grep -v 'stacks/dev.yaml' | grep -q .; then fail "a var file was written to disk"; fi
    wait
}

test_packer_runner_with_real_packer() {
    command -v packer >/dev/null || { fail "packer not installed"; return 1; }
    runners
    EXPECTED=runner-db-pw-42 run_cloak packer build image -s dev
    expect_status 0
    expect_out_contains "image=app-image"
    expect_out_contains "password-ok"
}

test_ansible_runner_with_real_ansible() {
    command -v ansible-playbook >/dev/null || { fail "ansible-playbook not installed"; return 1; }
    runners
    ANSIBLE_NOCOLOR=1 run_cloak ansible playbook site -s dev
    expect_status 0
    expect_out_contains "greeting=hello-from-stack"
    expect_out_contains "All assertions passed"
    expect_out_lacks "runner-db-pw-42"
}

test_exec_secret_file_is_memory_backed() {
    runners
    run_cloak exec -s dev -c app -- sh -c 'echo "path=$DB_PASSWORD_FILE"; cat "$DB_PASSWORD_FILE"; echo; readlink "$DB_PASSWORD_FILE"'
    expect_status 0
    expect_out_contains "path=/dev/fd/"
    expect_out_contains "runner-db-pw-42"
    expect_out_contains "/memfd:"
}

test_env_shows_origins_never_values() {
    runners
    run_cloak env -s dev -c app
    expect_status 0
    expect_out_contains "DB_PASSWORD"
    expect_out_contains "sops:files"
    expect_out_contains "stacks/dev.yaml"
    expect_out_contains "atmos.yaml env"
    expect_out_lacks "runner-db-pw-42"
    run_cloak env -s dev -c app --format json --mask=false
    expect_out_lacks "runner-db-pw-42"
}

# memscan PID NEEDLE: 0 when NEEDLE is found in any readable mapping of PID (needs root or CAP_SYS_PTRACE).
memscan() {
    python3 - "$1" "$2" <<'PY'
import re, sys
pid, needle = sys.argv[1], sys.argv[2].encode()
found = False
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (r...)", line)
        if not m or m.group(3)[0] != "r" or "[vvar]" in line or "[vsyscall]" in line:
            continue
        start, end = int(m.group(1), 16), int(m.group(2), 16)
        try:
            mem.seek(start)
            if needle in mem.read(end - start):
                found = True
                break
        except (OSError, ValueError, OverflowError):
            pass
sys.exit(0 if found else 1)
PY
}

test_supervising_cloak_holds_no_secret_after_the_child_started() {
    [ "$(id -u)" -eq 0 ] || { fail "needs root to read another process's memory"; return 1; }
    runners
    "$CLOAK" exec -s dev -c app --supervise -- sleep 3 &
    local pid=$!
    sleep 1
    # The child must still have it (so the scan can succeed), and cloak must not.
    local child; child=$(pgrep -P "$pid" sleep | head -n 1)
    [ -n "$child" ] && tr '\0' '\n' <"/proc/$child/environ" | grep -q '^DB_PASSWORD=runner-db-pw-42$' || fail "child lacks the secret"
    if memscan "$pid" "runner-db-pw-42"; then fail "secret found in the supervising cloak's memory"; fi
    grep -q '^Limit.*core file size *0 ' "/proc/$pid/limits" 2>/dev/null || grep -qE '^Max core file size +0 ' "/proc/$pid/limits" || fail "core dumps not disabled"
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
}

test_harden_denies_ptrace_and_process_vm_readv_in_the_child() {
    runners
    # PTRACE_ATTACH is only tried where it must fail: an unhardened root child would really stop its parent.
    local probe='import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
r, e1 = "skipped", 0
if sys.argv[1] == "attach":
    r = libc.ptrace(16, os.getppid(), 0, 0); e1 = ctypes.get_errno()
class iov(ctypes.Structure): _fields_ = [("b", ctypes.c_void_p), ("n", ctypes.c_size_t)]
buf = ctypes.create_string_buffer(8); l = iov(ctypes.addressof(buf), 8); rr = iov(ctypes.addressof(buf), 8)
r2 = libc.process_vm_readv(os.getpid(), ctypes.byref(l), 1, ctypes.byref(rr), 1, 0); e2 = ctypes.get_errno()
print(f"ptrace={r}/{e1} vmread={r2}/{e2}")'
    run_cloak exec -s dev -c app --supervise --harden -- python3 -c "$probe" attach
    expect_status 0
    expect_out "ptrace=-1/1 vmread=-1/1"
    run_cloak exec -s dev -c app --supervise -- python3 -c "$probe" none
    expect_status 0
    expect_out "ptrace=skipped/0 vmread=8/0"
    run_cloak exec -s dev -c app --harden -- sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status | tr -s "\t" " "'
    expect_out "$(printf 'NoNewPrivs: 1\nSeccomp: 2')"
}

test_cloak_itself_is_not_dumpable_and_leaves_no_core() {
    runners
    local d; d=$(mktemp -d); cd "$d"
    ulimit -c unlimited 2>/dev/null || true
    "$ROOT/integration/fixtures/runners/tools/fake-terraform" >/dev/null 2>&1 || true
    (cd "$OLDPWD" && SWIFT_BACKTRACE=enable=no "$CLOAK" exec -s dev -c app --supervise -- sleep 5) &
    local pid=$!
    sleep 1
    grep -q '^Max core file size *0 ' "/proc/$pid/limits" || fail "RLIMIT_CORE is not 0"
    kill -SEGV "$pid"; wait "$pid" 2>/dev/null || true
    [ -z "$(ls "$d" "$OLDPWD" 2>/dev/null | grep -E '^core' || true)" ] || fail "a core file was written"
}

test_real_tools_run_under_harden() {
    runners
    EXPECTED=runner-db-pw-42 run_cloak packer build image -s dev --harden
    expect_status 0
    expect_out_contains "password-ok"
    ANSIBLE_NOCOLOR=1 run_cloak ansible playbook site -s dev --harden
    expect_status 0
    expect_out_contains "All assertions passed"
    for tool in "bash -c true" "python3 -c pass" "git --version" "curl --version"; do
        run_cloak exec -s dev -c app --harden -- $tool
        expect_status 0
    done
}
