# shellcheck shell=bash
# bench/run's `cluster` target: a one-node cluster (storage.metadata=postgres, storage.blobs=s3) over a real
# PostgreSQL 15 and S3Proxy, both started once per benchmark by the cluster end-to-end suite's own functions
# (e2e/cluster/lib.sh), each run on a fresh database and a fresh key prefix. Sourced by bench/run.

# The e2e primitives e2e/cluster/lib.sh calls, mapped onto bench/run's process bookkeeping
register_pid() { BENCH_PIDS+=("$1"); }
to() { timeout --kill-after=10 600 "$@"; }
wait_http() { # URL TIMEOUT CODES PID (as e2e/lib.sh has it)
    local url=$1 deadline=$(($(date +%s) + $2)) codes=" $3 " pid=${4:-} code
    while (($(date +%s) < deadline)); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2> /dev/null || true)
        [[ $codes == *" $code "* ]] && return 0
        [[ -z $pid ]] || kill -0 "$pid" 2> /dev/null || return 1
        sleep 0.2
    done
    return 1
}

# Starts PostgreSQL and S3Proxy (with their bucket) under $WORK/cluster; stopped by cleanup_cluster.
start_cluster_backends() {
    E2E_WORK=$WORK/cluster
    E2E_START_TIMEOUT=120
    mkdir -p "$E2E_WORK"
    chmod 711 "$WORK" "$E2E_WORK" # PostgreSQL runs as nobody below it
    # shellcheck source=e2e/cluster/lib.sh
    . "$REPO/e2e/cluster/lib.sh"
    start_postgres > "$WORK/logs/postgres-start.log" 2>&1 || { cat "$WORK/logs/postgres-start.log" >&2; die "PostgreSQL did not start"; }
    start_s3proxy > "$WORK/logs/s3proxy-start.log" 2>&1 || { cat "$WORK/logs/s3proxy-start.log" >&2; die "S3Proxy did not start"; }
    create_bucket > /dev/null || die "could not create the bucket"
    log "cluster backends: PostgreSQL at $PG_URL, S3Proxy at $S3_ENDPOINT"
}

cleanup_cluster() { [[ -z ${PG_PID:-} ]] || stop_postgres; }

# cluster_env DB PREFIX [EXTRA...]: the environment of a node on database DB and key prefix PREFIX.
cluster_env() {
    local db=$1 prefix=$2
    shift 2
    printf '%s\n' WHARF_STORAGE_METADATA=postgres "WHARF_STORAGE_POSTGRES_URL=${PG_URL%/*}/$db" \
        WHARF_STORAGE_POSTGRES_USER=wharf "WHARF_STORAGE_POSTGRES_PASSWORD=$PG_PASSWORD" \
        WHARF_STORAGE_BLOBS=s3 "WHARF_STORAGE_S3_BUCKET=$S3_BUCKET" "WHARF_STORAGE_S3_PREFIX=$prefix" \
        "WHARF_STORAGE_S3_ENDPOINT=$S3_ENDPOINT" WHARF_STORAGE_S3_PATH_STYLE=true WHARF_STORAGE_S3_REGION=us-east-1 \
        "WHARF_STORAGE_S3_ACCESS_KEY_ID=$S3_KEY_ID" "WHARF_STORAGE_S3_SECRET_ACCESS_KEY=$S3_SECRET" "$@"
}

# A fresh database for run RUN (the node creates its schema on start).
cluster_database() {
    local db=wharf_r$RUN
    PGPASSWORD=$PG_PASSWORD "$CLUSTER_PG_BIN/dropdb" --if-exists -h 127.0.0.1 -p "$PG_PORT" -U wharf "$db"
    PGPASSWORD=$PG_PASSWORD "$CLUSTER_PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U wharf "$db"
    echo "$db"
}

# Transactions PostgreSQL has counted for the current run's database (empty for other targets). The
# statistics reach pg_stat_database when a backend goes idle (at most once a second): wait that out.
db_xacts() {
    [[ ${SRV_NAME:-} == cluster ]] || return 0
    sleep 1.5
    PGPASSWORD=$PG_PASSWORD "$CLUSTER_PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U wharf -d "wharf_r$RUN" -XAtq \
        -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
}

# blob_redirect_gets: a second node on the cluster target's database and prefix, with storage.s3.redirect on:
# BENCH_REDIRECT_GETS GETs (after 3 to warm it up) that follow its 307 to S3Proxy; the node's CPU per GiB
# served and the client's MB/s.
: "${BENCH_REDIRECT_GETS:=10}"
blob_redirect_gets() {
    local port addr pid log=$WORK/logs/cluster-redirect-$RUN.log c0 c1 r out code size secs f=$SINK/get mbs=()
    port=$(free_port)
    addr=127.0.0.1:$port
    # shellcheck disable=SC2046 # one assignment per line
    (exec env $(cluster_env "wharf_r$RUN" "run-$RUN/" WHARF_STORAGE_S3_REDIRECT=true) WHARF_AUTH_ENABLED=false \
        "$REPO/bin/wharf" serve --listen "$addr" --data "$WORK/data-redirect-$RUN") > "$log" 2>&1 &
    pid=$!
    BENCH_PIDS+=("$pid")
    wait_http_200 "http://$addr/v2/" 120 || { tail -n 20 "$log" >&2; stop_pid "$pid"; return 1; }
    for r in 1 2 3; do curl -sS -L -o /dev/null "http://$addr/v2/bench/blob/blobs/$BLOB_DIGEST"; done # warm-up
    c0=$(cpu_seconds "$pid")
    for ((r = 0; r < BENCH_REDIRECT_GETS; r++)); do
        rm -f "$f"
        out=$(curl -sS -L -o "$f" -w '%{http_code} %{size_download} %{time_total} %{num_redirects}' "http://$addr/v2/bench/blob/blobs/$BLOB_DIGEST")
        read -r code size secs redirects <<< "$out"
        [[ $code == 200 && $size == "$BLOB_SIZE" && $redirects == 1 ]] ||
            { log "redirected blob GET: HTTP $code, $size bytes, $redirects redirects"; stop_pid "$pid"; return 1; }
        verify_file "$f" "$BLOB_DIGEST"
        mbs+=("$(awk -v s="$size" -v t="$secs" 'BEGIN { printf "%.1f", s / t / 1e6 }')")
    done
    c1=$(cpu_seconds "$pid")
    rm -f "$f"
    stop_pid "$pid"
    sample cluster blob_redirect_mbs "$(printf '%s\n' "${mbs[@]}" | median)"
    sample cluster blob_redirect_cpu_s_gib "$(per_gib "$c0" "$c1" "$BENCH_REDIRECT_GETS")"
}

# per_gib CPU0 CPU1 GETS: CPU seconds per GiB served, for GETS GETs of the benchmark blob.
per_gib() {
    awk -v a="$1" -v b="$2" -v n="$3" -v s="$BLOB_SIZE" 'BEGIN { printf "%.4f", (b - a) / (n * s / 1073741824) }'
}

# Rows of the cluster tables: the same figures, with the one-node cluster on the left.
cluster_figures() {
    local right=$1
    figures | awk -F'|' '$5 == "wharf" && $6 == "distribution"' | sed "s/|wharf|distribution|/|cluster|$right|/" |
        if [[ $right == wharf ]]; then sed 's/|[a-z]*[<>]=[0-9.]*$/|/'; else cat; fi
    local C=$BENCH_CONNECTIONS
    cat << EOF
blob_get_cpu_s_gib|Blob GET, streamed by the registry: its CPU per GiB served|CPU-s/GiB|lo|cluster|$right|
mget_tag_c${C}_cpu_us|Manifest GET by tag, ${C} conn: registry CPU per request|CPU-µs|lo|cluster|$right|
mget_tag_c${C}_db_xact|Manifest GET by tag, ${C} conn: PostgreSQL transactions per request (warm cache)|xact|lo|cluster|$right|
EOF
}

# Rows of the redirect table (cluster only): blob GETs answered by a presigned-URL redirect.
redirect_figures() {
    cat << EOF
blob_redirect_cpu_s_gib|Blob GET by redirect (307 to S3Proxy): registry CPU per GiB|CPU-s/GiB|lo|cluster|none|
blob_redirect_mbs|  client MB/s following the redirect (S3Proxy serves the bytes)|MB/s|hi|cluster|none|
EOF
}
