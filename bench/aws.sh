#!/usr/bin/env bash
# Benchmark: one component with 100 SSM + 20 Secrets Manager secrets on moto_server (127.0.0.1).
# Compares `cloak pull` (batched, parallel GetParameters/BatchGetSecretValue over one libcurl share) with a loop of
# `aws ssm get-parameter` calls and a single `aws ssm get-parameters` batch. Prints a table; writes nothing else.
#   bench/aws.sh [RUNS]   (BENCH_AWS_OUT=FILE also writes pull_ms=, loop_ms=, batch_ms= lines there)
#     (needs a release build: swift build -c release; awscli and moto_server on PATH or in .venv-test)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLOAK="${CLOAK:-$ROOT/.build/release/cloak}"
RUNS="${1:-5}"
export MOTO_STATE_DIR="${TMPDIR:-/tmp}/cloak-bench-moto-$$"
PORT="${BENCH_MOTO_PORT:-5077}"
URL=$("$ROOT/integration/servers/moto.sh" start "$PORT")
work=$(mktemp -d)
cleanup() { "$ROOT/integration/servers/moto.sh" stop; rm -rf "$work" "$MOTO_STATE_DIR"; }
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL="$URL" HOME="$work/home"
cp -r "$ROOT/integration/fixtures/aws-secrets/." "$work/"
cd "$work"
{
    echo "components:"; echo "  terraform:"; echo "    bench:"; echo "      metadata: {component: secret-consumer}"
    echo "      secrets:"; echo "        vars:"
    for i in $(seq 1 100); do echo "          S$i: {store: ssm}"; done
    for i in $(seq 1 20); do echo "          A$i: {store: asm}"; done
} >stacks/catalog/bench.yaml
printf 'vars:\n  stage: dev\nimport:\n  - catalog/bench\n' >stacks/deploy/dev.yaml

py=python3
[ -x "$ROOT/.venv-test/bin/python" ] && "$ROOT/.venv-test/bin/python" -c 'import boto3' 2>/dev/null && py="$ROOT/.venv-test/bin/python"
URL="$URL" "$py" - <<'PY'
import boto3, os
kw = dict(endpoint_url=os.environ["URL"], region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
ssm = boto3.client("ssm", **kw); sm = boto3.client("secretsmanager", **kw)
for i in range(1, 101):
    ssm.put_parameter(Name=f"P/dev/bench/S{i}", Value=f"ssm-value-{i}", Type="SecureString", Overwrite=True)
for i in range(1, 21):
    sm.create_secret(Name=f"Q/dev/bench/A{i}", SecretString=f'{{"password":"asm-{i}"}}')
PY

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Sanity: all 120 values arrive.
n=$("$CLOAK" pull -s dev -c bench --mask=false | grep -c '=')
[ "$n" -eq 120 ] || { echo "cloak pull returned $n values, expected 120" >&2; exit 1; }

pull_times=()
for _ in $(seq 1 "$RUNS"); do
    t=$(date +%s%N); "$CLOAK" pull -s dev -c bench --mask=false >/dev/null; pull_times+=("$(ms "$t")")
done
pull_ms=$(printf '%s\n' "${pull_times[@]}" | median)

t=$(date +%s%N)
for i in $(seq 1 100); do aws ssm get-parameter --name "P/dev/bench/S$i" --with-decryption >/dev/null; done
loop_ms=$(ms "$t")

names=$(for i in $(seq 1 10); do printf 'P/dev/bench/S%s ' "$i"; done)
batch_times=()
for _ in $(seq 1 "$RUNS"); do
    t=$(date +%s%N); aws ssm get-parameters --names $names --with-decryption >/dev/null; batch_times+=("$(ms "$t")")
done
batch_ms=$(printf '%s\n' "${batch_times[@]}" | median)

printf '\n%-58s %10s\n' "operation (moto on 127.0.0.1, $(nproc) cores)" "wall ms"
printf '%-58s %10s\n' "----------------------------------------------------------" "----------"
printf '%-58s %10s\n' "cloak pull: 100 SSM + 20 ASM (median of $RUNS)" "$pull_ms"
printf '%-58s %10s\n' "aws ssm get-parameter ×100 (loop, once)" "$loop_ms"
printf '%-58s %10s\n' "aws ssm get-parameters, one batch of 10 (median of $RUNS)" "$batch_ms"
printf '%-58s %10s\n' "  → extrapolated ×10 batches for 100 SSM names" "$((batch_ms * 10))"
[ -z "${BENCH_AWS_OUT:-}" ] || printf 'pull_ms=%s\nloop_ms=%s\nbatch_ms=%s\n' "$pull_ms" "$loop_ms" "$batch_ms" >"$BENCH_AWS_OUT"
