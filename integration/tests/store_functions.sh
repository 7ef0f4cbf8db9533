# !store / !store.get on the non-secret-only kinds: redis against a real redis-server (integration/servers/redis.sh)
# and artifactory against integration/fakes/fake_artifactory.py.

REDIS_PORT="${REDIS_PORT:-6391}"
ART_PORT="${ART_PORT:-8481}"
REDIS_STATE="${TMPDIR:-/tmp}/cloak-redis-$(id -u)"
eval "_sf_prev_exit=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
trap "${_sf_prev_exit:+$_sf_prev_exit; }\"\$ROOT/integration/servers/redis.sh\" stop >/dev/null 2>&1 || true; \"\$ROOT/integration/servers/fake-server.sh\" stop artifactory >/dev/null 2>&1 || true" EXIT

rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a test-pass --no-auth-warning "$@" >/dev/null; }

# store_functions_fixture: a copy of the store-functions fixture, a running redis-server seeded in database 2 (and
# database 0 for the ATMOS_REDIS_URL store), and a fake Artifactory seeded over its deploy API.
store_functions_fixture() {
    local d; d=$(mktemp -d)
    cp -r "$ROOT/integration/fixtures/store-functions/." "$d/"
    cd "$d"
    REDIS_TLS=1 "$ROOT/integration/servers/redis.sh" start "$REDIS_PORT" >/dev/null || { fail "redis-server did not start"; return 1; }
    "$ROOT/integration/servers/fake-server.sh" start artifactory "http://127.0.0.1:$ART_PORT/__stats" \
        fake_artifactory.py "$ART_PORT" art-token outputs || { fail "fake artifactory did not start"; return 1; }
    # A listener that accepts and never answers, for the timeout case.
    SILENT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(8); open(sys.argv[2], "w").write("1"); time.sleep(30)' "$SILENT_PORT" "$d/silent.ready" &
    SILENT_PID=$!
    wait_for_file "$d/silent.ready" || { fail "the silent listener did not start"; return 1; }
    sed -i -e "s/REDIS_TLS_PORT/$((REDIS_PORT + 1))/g" -e "s/REDIS_PORT/$REDIS_PORT/g" -e "s/ART_PORT/$ART_PORT/g" -e "s#REDIS_STATE#$REDIS_STATE#g" \
        -e "s/SILENT_PORT/$SILENT_PORT/g" atmos.yaml
    export ATMOS_REDIS_URL="redis://:test-pass@127.0.0.1:$REDIS_PORT"
    export ARTIFACTORY_ACCESS_TOKEN=art-token
    unset JFROG_ACCESS_TOKEN
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a test-pass --no-auth-warning flushall >/dev/null
    # What Atmos's redis store writes: JSON values at prefix/stack/component/key ("/" stack delimiter by default).
    rcli -n 2 set atmos/plat-ue2-dev/vpc/vpc_id '"vpc-dev-123"'
    rcli -n 2 set atmos/plat-ue2-prod/vpc/vpc_id '"vpc-prod-456"'
    rcli -n 2 set atmos/plat-ue2-dev/vpc/network '{"db":{"host":"db.internal","port":5432}}'
    rcli -n 2 set atmos:shared/endpoint '"https://api.example.test"'
    rcli -n 2 set atmos:plain 'not json at all'
    rcli -n 2 set /plat/ue2/dev/vpc/vpc_id '"vpc-acl-789"'
    rcli -n 0 set /plat-ue2-dev/vpc/vpc_id '"vpc-db0-000"'
    local put=(curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer art-token")
    "${put[@]}" --data-binary '"vpc-art-321"' "http://127.0.0.1:$ART_PORT/artifactory/outputs/atmos/plat-ue2-dev/vpc/vpc_id"
    "${put[@]}" --data-binary '{"db":{"port":6543}}' "http://127.0.0.1:$ART_PORT/artifactory/outputs/atmos/plat-ue2-dev/vpc/network"
    "${put[@]}" --data-binary '"https://art.example.test"' "http://127.0.0.1:$ART_PORT/artifactory/outputs/atmos/shared/endpoint.json"
}

store_functions_done() { kill "$SILENT_PID" 2>/dev/null || true; }

art_stat() { curl -fsS "http://127.0.0.1:$ART_PORT/__stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

test_store_functions_read_redis_and_artifactory() {
    store_functions_fixture || return
    run_cloak exec -s plat-ue2-dev -c app -- env
    expect_status 0
    for line in VPC_ID=vpc-dev-123 PROD_VPC_ID=vpc-prod-456 DB_HOST=db.internal \
        'NETWORK={"db":{"host":"db.internal","port":5432}}' ENDPOINT=https://api.example.test 'RAW_TEXT=not json at all' \
        REGION_OR_DEFAULT=us-east-9 ACL_VPC_ID=vpc-acl-789 ENV_URL_VPC_ID=vpc-db0-000 UNIX_VPC_ID=vpc-dev-123 TLS_VPC_ID=vpc-dev-123 \
        TLS_IP_ENDPOINT=https://api.example.test \
        ART_VPC_ID=vpc-art-321 ART_DB_PORT=6543 ART_SHARED=https://art.example.test; do
        grep -qxF "$line" <<<"$out" || fail "exec env lacks $line"
    done
    run_cloak describe component app -s plat-ue2-dev --format json --query .vars
    expect_status 0
    expect_out_contains '"vpc_id": "vpc-dev-123"'
    expect_out_contains '"port": 5432'
    # Every Artifactory read carried the token.
    [ "$(art_stat unauthorized)" = 0 ] || fail "an artifactory request went out without the token"
    # The redis password never reaches argv of the child or the process's own messages.
    [[ "$out$err" != *test-pass* ]] || fail "the redis password leaked"
    store_functions_done
}

test_store_functions_redis_and_artifactory_errors() {
    store_functions_fixture || return
    run_cloak exec -s plat-ue2-dev -c missing-key -- true
    expect_status 1
    expect_err_contains 'error: !store: key "atmos/plat-ue2-dev/vpc/nothing_written" not found in store "cache" (write it first, or add `| default VALUE`)'
    expect_err_lines 1
    run_cloak exec -s plat-ue2-dev -c missing-file -- true
    expect_status 1
    expect_err_contains 'error: !store: key "outputs/atmos/plat-ue2-dev/vpc/nothing_written" not found in store "artifacts"'
    expect_err_lines 1
    run_cloak exec -s plat-ue2-dev -c wrong-pass -- touch started
    expect_status 1
    expect_err_contains 'redis: redis://127.0.0.1:'"$REDIS_PORT"'/0 refused the login (WRONGPASS'
    expect_err_contains 'check the URL'"'"'s user and password'
    expect_err_lines 1
    [[ "$err" != *not-the-password* ]] || fail "the wrong password was echoed"
    [ ! -e started ] || fail "a child started after a failed lookup"
    # A server that accepts and never answers: bounded by the store's 1 s timeout.
    local t0=$SECONDS
    run_cloak exec -s plat-ue2-dev -c silent -- touch started
    expect_status 1
    expect_err_contains "redis: 127.0.0.1:$SILENT_PORT did not answer within 1 s"
    expect_err_lines 1
    [ $((SECONDS - t0)) -le 5 ] || fail "the silent server held cloak for $((SECONDS - t0)) s"
    [ ! -e started ] || fail "a child started after a timeout"
    # rediss:// checks the server's certificate: without the test CA it is refused, naming the reason.
    run_cloak exec -s plat-ue2-dev -c tls-untrusted -- touch started
    expect_status 1
    expect_err_contains "redis: TLS to 127.0.0.1:$((REDIS_PORT + 1)): the server's certificate was refused (self-signed certificate in certificate chain); set ca_bundle to the CA that signed it"
    expect_err_lines 1
    [ ! -e started ] || fail "a child started after a refused certificate"
    # A wrong Artifactory token is a one-line error that points at the token settings.
    ARTIFACTORY_ACCESS_TOKEN=wrong-token run_cloak exec -s plat-ue2-dev -c app -- true
    expect_status 1
    expect_err_contains 'the access token was refused'
    [[ "$err" != *wrong-token* ]] || fail "the token was echoed"
    # Redis is refused as a secret store, as upstream.
    cat >>atmos.yaml <<'YAML'
  secret-cache:
    kind: redis
    secret: true
    options:
      url: "redis://127.0.0.1:1"
YAML
    run_cloak exec -s plat-ue2-dev -c app -- true
    expect_status 1
    expect_err_contains 'store cannot be marked secret: backend does not encrypt values at rest: store "secret-cache" uses backend "redis"'
    store_functions_done
}

ART_PROXY_PORT="${ART_PROXY_PORT:-8483}"

test_artifactory_fault_matrix_through_proxy() {
    store_functions_fixture || return
    local proxy
    proxy=$(start_fault_proxy "http://127.0.0.1:$ART_PORT" "$ART_PROXY_PORT") || { fail "proxy did not start"; return; }
    # Only the artifactory store goes through the proxy; the redis stores are left out of this component.
    sed -i "s#http://127.0.0.1:$ART_PORT/artifactory#$proxy/artifactory#" atmos.yaml
    cat >>stacks/deploy/dev.yaml <<'YAML'
    art-only:
      env:
        ART_VPC_ID: !store artifacts vpc vpc_id
YAML
    local bounded; bounded=$(bounded_cloak)
    local CLOAK=$bounded
    fault_mode "$proxy" "429-first:2"
    run_cloak exec -s plat-ue2-dev -c art-only -- sh -c 'echo "$ART_VPC_ID"'
    expect_status 0
    expect_out vpc-art-321
    [ "$(fault_count "$proxy")" = 3 ] || fail "expected 3 requests, the proxy saw $(fault_count "$proxy")"
    local mode want
    for mode in 429 500 reset "huge:50"; do
        case "$mode" in
        429) want="throttled (HTTP 429) after 3 attempts" ;;
        500) want="server error (HTTP 500) after 3 attempts" ;;
        reset) want="connection was reset after 3 attempts" ;;
        huge:50) want="response is larger than 10 MB" ;;
        esac
        fault_mode "$proxy" "$mode"
        rm -f started
        run_cloak exec -s plat-ue2-dev -c art-only -- touch started
        expect_status 1
        expect_err_contains "$want"
        expect_err_lines 1
        [[ "$err" != *leaky-sentinel* ]] || fail "error echoes the response body ($mode)"
        [ ! -e started ] || fail "a child started without its value ($mode)"
    done
    printf '      timeout: 1\n      max_attempts: 2\n' >>atmos.yaml
    fault_mode "$proxy" "delay:5"
    run_cloak exec -s plat-ue2-dev -c art-only -- touch started
    expect_status 1
    expect_err_contains "request timed out after 2 attempts"
    expect_err_lines 1
    fault_mode "$proxy" none
    stop_fault_proxy "$ART_PROXY_PORT"
    store_functions_done
}
