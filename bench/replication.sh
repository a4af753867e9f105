#!/usr/bin/env bash
# Replication benchmarks of issue 12:
#
#   bench/replication.sh          # full: a 100 MiB image, 1,000 images backfilled
#   REPL_MIB=4 REPL_BACKFILL_IMAGES=20 REPL_RUNS=1 bench/replication.sh    # smoke
#
# Two bin/wharf deployments on loopback: "east" (us-east-1, authentication off, so curl pushes plainly) replicates
# to "west" (us-west-2, authentication on; east holds west's root keys in its replication.regions-file).
# 1. Latency: a one-layer image of REPL_MIB MiB of random bytes is pushed to east with curl (blob POST, manifest
#    PUT); the clock starts when the manifest PUT returns and stops when west answers 200 to a HEAD of the tag
#    (polled every REPL_POLL_MS). The transfer time of the same bytes (a direct blob push to west) is measured in
#    the same run, so "latency - transfer" is what replication adds (target: <= 2 s).
# 2. Backfill: REPL_BACKFILL_IMAGES small images in REPL_BACKFILL_REPOS repositories are pushed to east before
#    any rule; then one PutReplicationConfiguration adds a rule (which starts a backfill); the time until the
#    backfill is DONE and all its tasks COMPLETE gives the throughput (images/s).
#
# Knobs: REPL_MIB (100), REPL_RUNS (3), REPL_BACKFILL_IMAGES (1000), REPL_BACKFILL_REPOS (10), REPL_POLL_MS (50),
# REPL_TIMEOUT (900 s per wait), REPL_PARALLELISM (replication.parallelism, 4), BENCH_TMPDIR (data directories),
# BENCH_KEEP=1 (keep the work directory). Report: bench/results/YYYY-MM-DD-<commit>-replication.md (or
# $BENCH_RESULT), raw samples beside it (.tsv).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${REPL_MIB:=100}" "${REPL_RUNS:=3}" "${REPL_BACKFILL_IMAGES:=1000}" "${REPL_BACKFILL_REPOS:=10}"
: "${REPL_POLL_MS:=50}" "${REPL_TIMEOUT:=900}" "${REPL_PARALLELISM:=4}" "${BENCH_KEEP:=0}"
: "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}"
ACCOUNT=000000000000
WEST_KEY=AKIABENCHWESTBENCHWE
WEST_SECRET=benchwestbenchwestbenchwestbenchwestbench
TARGET=AmazonEC2ContainerRegistry_V20150921

log() { printf '%s  bench/replication: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-bench-replication.XXXXXX")
mkdir -p "$WORK/logs"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2> /dev/null || true; done
    if [ "$BENCH_KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

wait_up() { # ADDR PID EXPECTED_CODE
    local i
    for ((i = 0; i < 600; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$1/v2/") == "$3" ]] && return 0
        kill -0 "$2" 2> /dev/null || die "wharf at $1 exited (logs in $WORK/logs)"
        sleep 0.2
    done
    die "wharf at $1 did not come up"
}

start_servers() {
    WEST=127.0.0.1:$(free_port)
    EAST=127.0.0.1:$(free_port)
    (exec env WHARF_AUTH_ENABLED=true WHARF_REGION=us-west-2 WHARF_ROOT_ACCESS_KEY_ID=$WEST_KEY \
        WHARF_ROOT_SECRET_ACCESS_KEY=$WEST_SECRET "$REPO/bin/wharf" serve --listen "$WEST" --data "$WORK/west") \
        > "$WORK/logs/west.log" 2>&1 &
    PIDS+=("$!")
    wait_up "$WEST" "$!" 401
    printf '%s\n' "$WEST_SECRET" > "$WORK/west.secret"
    printf '{"us-west-2":{"endpoint":"http://%s","access-key-id":"%s","secret-access-key-file":"%s"}}\n' \
        "$WEST" "$WEST_KEY" "$WORK/west.secret" > "$WORK/regions.json"
    (exec env WHARF_AUTH_ENABLED=false WHARF_REGION=us-east-1 WHARF_REPLICATION_REGIONS_FILE="$WORK/regions.json" \
        WHARF_REPLICATION_PARALLELISM="$REPL_PARALLELISM" "$REPO/bin/wharf" serve --listen "$EAST" --data "$WORK/east") \
        > "$WORK/logs/east.log" 2>&1 &
    PIDS+=("$!")
    wait_up "$EAST" "$!" 200
    WEST_AUTH="AWS:$("$REPO/bin/wharf" iam login-password --root --data "$WORK/west")"
    log "east http://$EAST (us-east-1) -> west http://$WEST (us-west-2)"
}

sha() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }

push_blob() { # ADDR REPO FILE [curl auth args...]
    local addr=$1 repo=$2 file=$3 code
    shift 3
    code=$(curl -s -o /dev/null -w '%{http_code}' "$@" -X POST -H 'Content-Type: application/octet-stream' \
        --data-binary "@$file" "http://$addr/v2/$repo/blobs/uploads/?digest=$(sha "$file")")
    [ "$code" = 201 ] || die "blob push to $addr/$repo: $code"
}

# a manifest naming CONFIG and LAYER files, written to OUT
manifest() { # CONFIG LAYER OUT
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
        "$(sha "$1")" "$(stat -c %s "$1")" "$(sha "$2")" "$(stat -c %s "$2")" > "$3"
}

push_image() { # REPO TAG CONFIG LAYER
    local m=$WORK/manifest.json code
    push_blob "$EAST" "$1" "$3"
    push_blob "$EAST" "$1" "$4"
    manifest "$3" "$4" "$m"
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
        --data-binary "@$m" "http://$EAST/v2/$1/manifests/$2")
    [ "$code" = 201 ] || die "manifest push to $EAST/$1:$2: $code"
}

ecr_east() { # OPERATION JSON
    curl -sS --max-time 60 -X POST -H 'Content-Type: application/x-amz-json-1.1' -H "X-Amz-Target: $TARGET.$1" \
        --data "$2" "http://$EAST/"
}

configure() { # PREFIX
    ecr_east PutReplicationConfiguration '{"replicationConfiguration":{"rules":[{"destinations":[{"region":"us-west-2","registryId":"'$ACCOUNT'"}],"repositoryFilters":[{"filter":"'"$1"'","filterType":"PREFIX_MATCH"}]}]}}' > /dev/null
}

wait_at_west() { # REPO TAG
    local deadline=$(( $(date +%s) + REPL_TIMEOUT ))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' -I -u "$WEST_AUTH" \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$WEST/v2/$1/manifests/$2") == 200 ]]; do
        [ "$(date +%s)" -lt "$deadline" ] || die "$1:$2 did not arrive at west"
        sleep "$(awk -v ms="$REPL_POLL_MS" 'BEGIN { print ms / 1000 }')"
    done
}

latency() {
    configure big/ # before the pushes: only the push's own replication is timed
    local run layer config t0 t1 t2 t3
    for ((run = 1; run <= REPL_RUNS; run++)); do
        layer=$WORK/layer-$run.bin config=$WORK/config-$run.json
        head -c "$((REPL_MIB * 1048576))" /dev/urandom > "$layer"
        # the direct transfer pushes other bytes of the same size: with the same ones, west would already hold the
        # blob and replication would skip sending it
        head -c "$((REPL_MIB * 1048576))" /dev/urandom > "$layer.direct"
        printf '{"architecture":"amd64","os":"linux","run":%s,"t":"%s"}' "$run" "$(now_ns)" > "$config"
        t0=$(now_ns)
        push_blob "$WEST" "direct/transfer-$run" "$layer.direct" -u "$WEST_AUTH"
        t1=$(now_ns)
        push_image "big/app" "v$run" "$config" "$layer"
        t2=$(now_ns)
        wait_at_west big/app "v$run"
        t3=$(now_ns)
        printf 'latency\t%s\t%s\t%s\n' "$run" "$(secs "$t2" "$t3")" "$(secs "$t0" "$t1")" >> "$TSV"
        log "run $run: pushed -> pullable at west $(secs "$t2" "$t3") s; direct transfer of the layer $(secs "$t0" "$t1") s"
        rm -f "$layer" "$layer.direct"
    done
}

backfill() {
    local i repo layer config t0 t1 out=$WORK/backfills.json
    log "pushing $REPL_BACKFILL_IMAGES images into $REPL_BACKFILL_REPOS repositories"
    for ((i = 0; i < REPL_BACKFILL_IMAGES; i++)); do
        repo=fill/repo-$((i % REPL_BACKFILL_REPOS))
        layer=$WORK/fill-layer.bin config=$WORK/fill-config.json
        head -c 1024 /dev/urandom > "$layer"
        printf '{"architecture":"amd64","os":"linux","i":%s}' "$i" > "$config"
        push_image "$repo" "v$i" "$config" "$layer"
    done
    t0=$(now_ns)
    configure fill/
    local deadline=$(( $(date +%s) + REPL_TIMEOUT ))
    while :; do
        curl -sS --max-time 30 "http://$EAST/wharf/v1/replication/backfills" > "$out"
        if [[ $(jq -r '.backfills[0].state' "$out") == DONE
              && $(jq -r '.backfills[0].tasks.COMPLETE // 0' "$out") -ge $REPL_BACKFILL_IMAGES ]]; then break; fi
        [ "$(date +%s)" -lt "$deadline" ] || die "the backfill did not finish: $(cat "$out")"
        sleep 0.2
    done
    t1=$(now_ns)
    printf 'backfill\t%s\t%s\n' "$REPL_BACKFILL_IMAGES" "$(secs "$t0" "$t1")" >> "$TSV"
    log "backfill of $REPL_BACKFILL_IMAGES images: $(secs "$t0" "$t1") s ($(jq -c '.backfills[0].tasks' "$out"))"
}

report() {
    local lat xfer added fill_s rate
    lat=$(awk -F'\t' '$1 == "latency" { print $3 }' "$TSV" | median)
    xfer=$(awk -F'\t' '$1 == "latency" { print $4 }' "$TSV" | median)
    added=$(awk -v a="$lat" -v b="$xfer" 'BEGIN { printf "%.3f", a - b }')
    fill_s=$(awk -F'\t' '$1 == "backfill" { print $3 }' "$TSV")
    rate=$(awk -v n="$REPL_BACKFILL_IMAGES" -v s="$fill_s" 'BEGIN { printf "%.1f", n / s }')
    cat > "$RESULT" <<MD
# Replication benchmark ($(date -u +%Y-%m-%d), commit $(git -C "$REPO" rev-parse --short HEAD))

Two bin/wharf deployments on loopback (east us-east-1 -> west us-west-2, IAM on at west), $(nproc) cores.

| measure | value |
|---|---|
| image | one layer of $REPL_MIB MiB of random bytes, $REPL_RUNS runs (medians) |
| push -> pullable at west | $lat s |
| direct transfer of the layer to west | $xfer s |
| added by replication (target <= 2 s) | $added s |
| backfill of $REPL_BACKFILL_IMAGES images ($REPL_BACKFILL_REPOS repositories, parallelism $REPL_PARALLELISM) | $fill_s s, $rate images/s |

Raw samples: $(basename "$TSV").
MD
    cat "$RESULT"
}

RESULT=${BENCH_RESULT:-$BENCH_DIR/results/$(date -u +%Y-%m-%d)-$(git -C "$REPO" rev-parse --short HEAD)-replication.md}
TSV=${RESULT%.md}.tsv
: > "$TSV"
start_servers
latency
backfill
report
