#!/usr/bin/env bash
# Manifest pushes as a repository grows: two builds side by side (before and after a change), bursts alternating.
#
#   BEFORE=/path/to/other/checkout bench/push-growth.sh      # AFTER defaults to this checkout
#   GROWTH_ROUNDS=4 BENCH_DURATION=4 BEFORE=... bench/push-growth.sh                  # smoke run
#
# Each checkout's bin/wharf (built beforehand: bin/wharf builds on first start) runs the embedded default (SQLite +
# filesystem; authentication, audit, webhooks and metrics off) on a fresh data directory. Both get the same config
# and layer blob, then GROWTH_ROUNDS rounds of one BENCH_DURATION s burst each (who goes first alternates) of wrk
# PUTting new manifests under new tags into one repository (bench/push-manifests.lua, BENCH_CONNECTIONS
# connections): per round, pushes/s, p99, the registry's CPU per push, and the images the repository then holds.
# Report: bench/results/YYYY-MM-DD-<commit>-push-growth.md (or $BENCH_RESULT).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${BEFORE:?set BEFORE to the checkout to compare with}" "${AFTER:=$REPO}"
: "${GROWTH_ROUNDS:=8}" "${BENCH_DURATION:=8}" "${BENCH_CONNECTIONS:=16}"
COMMIT=$(git -C "$AFTER" rev-parse --short HEAD)
: "${BENCH_RESULT:=$BENCH_DIR/results/$(date -u +%F)-$COMMIT-push-growth.md}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wharf-growth.XXXXXX")
declare -A PID ADDR DESC
trap 'for p in "${PID[@]}"; do kill "$p" 2> /dev/null || true; done; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

start() { # NAME CHECKOUT
    ADDR[$1]=127.0.0.1:$(free_port)
    env WHARF_AUTH_ENABLED=false WHARF_AUDIT_ENABLED=false WHARF_WEBHOOKS_ENABLED=false WHARF_METRICS_ENABLED=false \
        "$2/bin/wharf" serve --listen "${ADDR[$1]}" --data "$WORK/data-$1" > "$WORK/$1.log" 2>&1 &
    PID[$1]=$!
    for _ in $(seq 600); do curl -sf "http://${ADDR[$1]}/v2/" > /dev/null && return; sleep 0.2; done
    echo "bench/push-growth.sh: $1 did not start (see $WORK/$1.log)" >&2
    exit 1
}

blob() { # NAME FILE MEDIA: uploads it, prints its descriptor
    local d
    d=sha256:$(sha256sum "$2" | cut -d' ' -f1)
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary "@$2" -H 'Content-Type: application/octet-stream' \
        "http://${ADDR[$1]}/v2/bench/blobs/uploads/?digest=$d") == 201 ]] || { echo "blob upload failed" >&2; exit 1; }
    printf '{"mediaType":"%s","digest":"%s","size":%s}' "$3" "$d" "$(stat -c %s "$2")"
}

printf '{"architecture":"amd64","os":"linux"}' > "$WORK/config"
head -c 4096 /dev/urandom > "$WORK/layer"
for t in before after; do
    [[ $t == before ]] && start before "$BEFORE" || start after "$AFTER"
    DESC[$t]="$(blob "$t" "$WORK/config" application/vnd.oci.image.config.v1+json) $(blob "$t" "$WORK/layer" application/vnd.oci.image.layer.v1.tar+gzip)"
done

printf 'round\tbuild\tpushes_per_s\tp99_ms\tcpu_us_per_push\timages\n' > "$WORK/rounds.tsv"
for ((r = 1; r <= GROWTH_ROUNDS; r++)); do
    order=(before after)
    ((r % 2 == 0)) && order=(after before)
    for t in "${order[@]}"; do
        read -r config layer <<< "${DESC[$t]}"
        c0=$(cpu_ticks "${PID[$t]}")
        wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency -s "$BENCH_DIR/push-manifests.lua" \
            "http://${ADDR[$t]}" -- bench "$config" "$layer" "$r" > "$WORK/wrk.txt" 2>&1
        c1=$(cpu_ticks "${PID[$t]}")
        grep -q 'verified: [0-9]* responses, 0 bad' "$WORK/wrk.txt" || { cat "$WORK/wrk.txt" >&2; exit 1; }
        n=$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$WORK/wrk.txt")
        rps=$(awk '/^Requests\/sec/ { print $2 }' "$WORK/wrk.txt")
        p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v }' "$WORK/wrk.txt")
        images=$(curl -s "http://${ADDR[$t]}/wharf/v1/repositories/bench/usage" | jq '[.. | objects | .images? | numbers] | first')
        printf '%d\t%s\t%s\t%s\t%d\t%s\n' "$r" "$t" "$rps" "$p99" $(((c1 - c0) * 10000000 / n / 1000)) "$images" | tee -a "$WORK/rounds.tsv"
    done
done

{
    printf '# Pushes as a repository grows, %s: %s (after) against %s (before)\n\n' "$(date -u '+%F %H:%M UTC')" \
        "$COMMIT" "$(git -C "$BEFORE" rev-parse --short HEAD)"
    printf '%s cores; %s s bursts, %s connections, one repository, every push a new manifest under a new tag; the two\n' \
        "$(nproc)" "$BENCH_DURATION" "$BENCH_CONNECTIONS"
    printf 'builds taking turns (bench/push-growth.sh). CPU: the registry process, all threads. Images: in the repository after the burst.\n\n'
    printf '| round | build | pushes/s | p99 ms | CPU µs per push | images |\n|---|---|---|---|---|---|\n'
    tail -n +2 "$WORK/rounds.tsv" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
} > "$BENCH_RESULT"
echo "bench/push-growth.sh: wrote ${BENCH_RESULT#"$REPO"/}"
