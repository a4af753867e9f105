#!/usr/bin/env bash
# Webhook delivery lag of issue 13: from a push's manifest PUT returning to its webhook's receipt, under a push load.
#
#   bench/webhook-lag.sh                                   # 2,000 images, 8 concurrent pushers, 3 runs
#   LAG_IMAGES=200 LAG_RUNS=1 bench/webhook-lag.sh         # smoke
#
# One bin/wharf (authentication off, SQLite, defaults but for the port) and one subscription (ImagePushed) to a
# receiver on loopback (bench/webhook-lag.py, which also pushes: a 4 KiB layer, its config, a manifest by tag, over
# LAG_CONCURRENCY keep-alive connections). The receiver answers 204 at once; each delivery is matched to its push by
# digest. The lag includes the outbox dispatcher, the subscriber's transaction, waking the job, the claim and the POST.
# Knobs: LAG_IMAGES (2000), LAG_CONCURRENCY (8), LAG_RUNS (3), LAG_TIMEOUT (120 s for the last delivery),
# BENCH_TMPDIR, BENCH_KEEP=1. Report: bench/results/YYYY-MM-DD-<commit>-webhook-lag.md (or $BENCH_RESULT), raw
# samples beside it (.tsv: run, push seconds, lag seconds).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${LAG_IMAGES:=2000}" "${LAG_CONCURRENCY:=8}" "${LAG_RUNS:=3}" "${LAG_TIMEOUT:=120}" "${BENCH_KEEP:=0}"
: "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}"

log() { printf '%s  bench/webhook-lag: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
percentile() { # P (0-100) < numbers
    sort -g | awk -v p="$1" '{ a[NR] = $1 } END { if (NR == 0) exit 1; i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.3f", a[i] }'
}

WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-bench-webhook-lag.XXXXXX")
mkdir -p "$WORK/logs"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2> /dev/null || true; done
    if [ "$BENCH_KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
RESULT=${BENCH_RESULT:-$REPO/bench/results/$(date -u +%F)-$COMMIT-webhook-lag.md}
TSV=${RESULT%.md}.tsv
: > "$WORK/samples.tsv"

one_run() { # RUN
    local run=$1 port rport addr pid fifo
    port=$(free_port)
    rport=$(free_port)
    addr=127.0.0.1:$port
    WHARF_AUTH_ENABLED=false "$REPO/bin/wharf" serve --listen "$addr" --data "$WORK/data-$run" \
        > "$WORK/logs/wharf-$run.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    local i
    for ((i = 0; i < 600; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$addr/v2/") == 200 ]] && break
        kill -0 "$pid" 2> /dev/null || die "wharf exited (logs in $WORK/logs)"
        sleep 0.2
    done
    fifo=$WORK/go-$run
    mkfifo "$fifo"
    python3 "$BENCH_DIR/webhook-lag.py" "$addr" "$LAG_IMAGES" "$LAG_CONCURRENCY" "$LAG_TIMEOUT" "$rport" \
        < "$fifo" > "$WORK/run-$run.tsv" 2> "$WORK/logs/load-$run.log" &
    local load=$!
    PIDS+=("$load")
    exec 7> "$fifo"
    for ((i = 0; i < 100; i++)); do grep -q ready "$WORK/logs/load-$run.log" && break; sleep 0.1; done
    curl -sS --fail-with-body -X POST -H 'Content-Type: application/json' "http://$addr/wharf/v1/webhooks" \
        -d '{"url":"http://127.0.0.1:'"$rport"'/","eventTypes":["ImagePushed"]}' > "$WORK/logs/subscription-$run.json"
    echo go >&7
    exec 7>&-
    wait "$load" || die "run $run: deliveries missing ($(tail -1 "$WORK/logs/load-$run.log"))"
    log "run $run: $(tail -1 "$WORK/logs/load-$run.log")"
    grep -o 'pushed [0-9]* in [0-9.]*s ([0-9.]*/s)' "$WORK/logs/load-$run.log" | sed "s/^/$run\t/" >> "$WORK/throughput"
    awk -v r="$run" '{ print r "\t" $0 }' "$WORK/run-$run.tsv" >> "$WORK/samples.tsv"
    kill "$pid"
    wait "$pid" 2> /dev/null || true
}

log "building/starting bin/wharf (the first start builds the jar)"
"$REPO/bin/wharf" --version > /dev/null
for ((r = 1; r <= LAG_RUNS; r++)); do one_run "$r"; done

cp "$WORK/samples.tsv" "$TSV"
{
    echo "# Webhook delivery lag ($(date -u +%F), commit $COMMIT)"
    echo
    echo "bench/webhook-lag.sh: $LAG_IMAGES image pushes per run over $LAG_CONCURRENCY concurrent connections, $LAG_RUNS runs;"
    echo "one subscription (ImagePushed) to a loopback receiver answering 204; Wharf with defaults (SQLite, auth off)."
    echo "Lag: from the manifest PUT's answer to the receipt of that image's delivery. Machine: $(nproc) cores, $(uname -srm)."
    echo
    echo "| run | pushes/s | push p50 (s) | lag p50 (s) | lag p90 (s) | lag p99 (s) | lag max (s) |"
    echo "|---|---|---|---|---|---|---|"
    for ((r = 1; r <= LAG_RUNS; r++)); do
        local_tp=$(awk -F'\t' -v r="$r" '$1 == r { sub(/.*\(/, "", $2); sub(/\/s\)/, "", $2); print $2 }' "$WORK/throughput")
        lags=$(awk -F'\t' -v r="$r" '$1 == r { print $3 }' "$WORK/samples.tsv")
        pushes=$(awk -F'\t' -v r="$r" '$1 == r { print $2 }' "$WORK/samples.tsv")
        echo "| $r | $local_tp | $(percentile 50 <<< "$pushes") | $(percentile 50 <<< "$lags") | $(percentile 90 <<< "$lags") | $(percentile 99 <<< "$lags") | $(percentile 100 <<< "$lags") |"
    done
    all=$(cut -f3 "$WORK/samples.tsv")
    echo "| all | | | $(percentile 50 <<< "$all") | $(percentile 90 <<< "$all") | $(percentile 99 <<< "$all") | $(percentile 100 <<< "$all") |"
} > "$RESULT"
cat "$RESULT"
log "report: $RESULT"
