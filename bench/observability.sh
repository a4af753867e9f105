#!/usr/bin/env bash
# Observability overhead of issue 13: manifest GETs and manifest pushes with everything on against everything off,
# side by side in one run.
#
#   sudo bench/observability.sh
#   sudo OBS_RUNS=1 BENCH_DURATION=5 bench/observability.sh          # smoke run
#
# Per run, two fresh Wharf processes (the embedded default: SQLite + filesystem, authentication off), one after the
# other on fresh data directories, in alternating order:
#   off = WHARF_METRICS_ENABLED=false plus $OBS_OFF_SETTINGS (default: the audit trail and webhooks off too)
#   on  = WHARF_METRICS_ENABLED=true WHARF_METRICS_ACCESS=open plus $OBS_ON_SETTINGS (default: the audit trail with
#         pulls sampled at 1 %), and with OBS_WEBHOOK=1 (default) a webhook subscription to every event type, to a
#         loopback receiver that answers 204 (pushes are delivered while they are measured)
# Each gets the same seed (OBS_IMAGES manifests over two blobs), then:
#   mget = wrk GETs of those manifests by digest for BENCH_DURATION s, every answer's bytes verified (manifests.lua)
#   push = wrk PUTs of new manifests under new tags for BENCH_DURATION s, every answer a 201 (push-manifests.lua)
# with BENCH_CONNECTIONS connections, after a BENCH_WARMUP s warm-up. While "on" runs, /metrics is scraped every
# OBS_SCRAPE_EVERY s (as Prometheus would); at its end the scrape must count the GETs wrk made.
# Bars (issue 13): on/off <= 1.1 for latency, >= 1/1.1 for throughput.
# Report: bench/results/YYYY-MM-DD-<commit>-observability.md (or $BENCH_RESULT), samples beside it (.tsv).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${OBS_RUNS:=3}" "${OBS_IMAGES:=100}" "${OBS_SCRAPE_EVERY:=5}" "${BENCH_DURATION:=15}" "${BENCH_WARMUP:=3}"
: "${BENCH_CONNECTIONS:=16}" "${BENCH_KEEP:=0}" "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}"
: "${OBS_ON_SETTINGS:=WHARF_AUDIT_READ_SAMPLE_RATE=0.01}" "${OBS_WEBHOOK:=1}" "${OBS_METRICS_ADDR:=}"
: "${OBS_OFF_SETTINGS:=WHARF_AUDIT_ENABLED=false WHARF_WEBHOOKS_ENABLED=false}"   # host:port of metrics.listen, if set
OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
ACCEPT="Accept: $OCI_MANIFEST"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

for tool in wrk curl jq python3 sha256sum; do command -v "$tool" > /dev/null || die "$tool is missing"; done
[[ -x $REPO/bin/wharf ]] || die "bin/wharf is missing"
WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-bench-obs.XXXXXX")
mkdir -p "$WORK/logs" "$WORK/seed"
SAMPLES=$WORK/samples.tsv
: > "$SAMPLES"
cleanup() {
    stop_all
    [[ $BENCH_KEEP == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

wait_up() { # URL PID
    local i
    for ((i = 0; i < 900; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") == 200 ]] && return 0
        kill -0 "$2" 2> /dev/null || return 1
        sleep 0.2
    done
    return 1
}

start_wharf() { # NAME SETTINGS...
    local name=$1
    shift
    SRV_ADDR=127.0.0.1:$(free_port)
    env WHARF_AUTH_ENABLED=false "$@" "$REPO/bin/wharf" serve --listen "$SRV_ADDR" --data "$WORK/data-$name" \
        > "$WORK/logs/wharf-$name.log" 2>&1 &
    SRV_PID=$!
    BENCH_PIDS+=("$SRV_PID")
    wait_up "http://$SRV_ADDR/v2/" "$SRV_PID" || die "wharf did not start (log: $WORK/logs/wharf-$name.log)"
}

blob() { # FILE: pushes it to bench/ with a monolithic POST, prints its descriptor
    local digest size media=$2
    digest=sha256:$(sha256sum "$1" | cut -d' ' -f1)
    size=$(stat -c %s "$1")
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary "@$1" -H 'Content-Type: application/octet-stream' \
        "http://$SRV_ADDR/v2/bench/blobs/uploads/?digest=$digest") == 201 ]] || die "blob push failed"
    printf '{"mediaType":"%s","digest":"%s","size":%s}' "$media" "$digest" "$size"
}

seed() { # the blobs, then OBS_IMAGES manifests; writes the wrk list of their paths by digest
    local i m digest
    printf '{"architecture":"amd64","os":"linux"}' > "$WORK/seed/config"
    head -c 4096 /dev/urandom > "$WORK/seed/layer"
    CONFIG=$(blob "$WORK/seed/config" application/vnd.oci.image.config.v1+json)
    LAYER=$(blob "$WORK/seed/layer" application/vnd.oci.image.layer.v1.tar+gzip)
    : > "$WORK/list"
    for ((i = 0; i < OBS_IMAGES; i++)); do
        m=$WORK/seed/m$i
        printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s],"annotations":{"n":"%s"}}' \
            "$OCI_MANIFEST" "$CONFIG" "$LAYER" "$i" > "$m"
        digest=sha256:$(sha256sum "$m" | cut -d' ' -f1)
        [[ $(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$m" -H "Content-Type: $OCI_MANIFEST" \
            "http://$SRV_ADDR/v2/bench/manifests/t$i") == 201 ]] || die "manifest push failed"
        printf '/v2/bench/manifests/%s %s %s\n' "$digest" "$digest" "$m" >> "$WORK/list"
    done
}

scraper() { # scrapes /metrics every OBS_SCRAPE_EVERY s until killed
    while sleep "$OBS_SCRAPE_EVERY"; do
        curl -s -o /dev/null --max-time 5 "http://${OBS_METRICS_ADDR:-$SRV_ADDR}/metrics" || true
    done
}

measure() { # TARGET RUN
    local t=$1 out res rps p50 p99 scrape_pid=""
    wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP}s" -H "$ACCEPT" -s "$BENCH_DIR/manifests.lua" \
        "http://$SRV_ADDR" -- "$WORK/list" > /dev/null 2>&1
    if [[ $t == on ]]; then
        scraper &
        scrape_pid=$!
    fi
    out=$WORK/logs/mget-$t-$2.txt
    wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency -H "$ACCEPT" -s "$BENCH_DIR/manifests.lua" \
        "http://$SRV_ADDR" -- "$WORK/list" > "$out" 2>&1
    res=$(parse_wrk "$out") || die "manifest GETs failed ($out)"
    read -r rps p50 p99 <<< "$res"
    sample "$t" mget_rps "$rps"; sample "$t" mget_p50_ms "$p50"; sample "$t" mget_p99_ms "$p99"
    [[ $t == on ]] && check_scrape "$out"
    out=$WORK/logs/push-$t-$2.txt
    wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency -s "$BENCH_DIR/push-manifests.lua" \
        "http://$SRV_ADDR" -- bench "$CONFIG" "$LAYER" > "$out" 2>&1
    res=$(parse_wrk "$out") || die "manifest pushes failed ($out)"
    read -r rps p50 p99 <<< "$res"
    sample "$t" push_rps "$rps"; sample "$t" push_p50_ms "$p50"; sample "$t" push_p99_ms "$p99"
    if [[ -n $scrape_pid ]]; then kill "$scrape_pid" 2> /dev/null || true; wait "$scrape_pid" 2> /dev/null || true; fi
}

check_scrape() { # WRK_OUTPUT: /metrics counted at least the GETs wrk made (the warm-up's too)
    local made counted
    made=$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$1")
    counted=$(curl -s "http://${OBS_METRICS_ADDR:-$SRV_ADDR}/metrics" | awk '/^wharf_http_requests_total\{api="oci",operation="GetManifest",status_class="2xx"/ { print $2 }')
    awk -v c="${counted:-0}" -v m="$made" 'BEGIN { exit !(c >= m) }' \
        || die "/metrics counted ${counted:-no} manifest GETs, wrk made $made"
    log "on: /metrics counted $counted manifest GETs (wrk: $made, plus the warm-up)"
}

subscribe() { # a loopback receiver answering 204, and a subscription to every event type sending to it
    local rport
    rport=$(free_port)
    python3 -c 'import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class R(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), R).serve_forever()' "$rport" &
    BENCH_PIDS+=("$!")
    curl -sS --fail-with-body -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"url\":\"http://127.0.0.1:$rport/hook\"}" "http://$SRV_ADDR/wharf/v1/webhooks" \
        || die "creating the webhook subscription failed"
}

run() { # TARGET RUN
    local -a settings
    if [[ $1 == on ]]; then
        read -r -a settings <<< "WHARF_METRICS_ENABLED=true WHARF_METRICS_ACCESS=open $OBS_ON_SETTINGS"
    else
        read -r -a settings <<< "WHARF_METRICS_ENABLED=false $OBS_OFF_SETTINGS"
    fi
    start_wharf "$1-$2" "${settings[@]}"
    [[ $1 == on && $OBS_WEBHOOK == 1 ]] && subscribe
    seed
    measure "$1" "$2"
    stop_pid "$SRV_PID"
}

log "building and starting Wharf once (untimed)"
start_wharf warm
stop_pid "$SRV_PID"
for ((r = 1; r <= OBS_RUNS; r++)); do
    if ((r % 2)); then order=(off on); else order=(on off); fi
    for t in "${order[@]}"; do
        log "run $r/$OBS_RUNS: $t"
        run "$t" "$r"
    done
done

med() { awk -F'\t' -v t="$1" -v f="$2" '$1 == t && $2 == f { print $3 }' "$SAMPLES" | median; }
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
: "${BENCH_RESULT:=$REPO/bench/results/$(date -u +%Y-%m-%d)-$COMMIT-observability.md}"
cp "$SAMPLES" "${BENCH_RESULT%.md}.tsv"
{
    printf '# Observability overhead at %s (%s)\n\n' "$COMMIT" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'Medians of %s runs; %s s per load, %s connections, %s manifests; %s cores; on: metrics' \
        "$OBS_RUNS" "$BENCH_DURATION" "$BENCH_CONNECTIONS" "$OBS_IMAGES" "$(nproc)"
    printf '%s, scraped every %s s. Bars: latency on/off <= 1.1, throughput on/off >= 0.91.\n\n' \
        "${OBS_ON_SETTINGS:+ and $OBS_ON_SETTINGS}" "$OBS_SCRAPE_EVERY"
    printf '| figure | off | on | on/off | bar |\n|---|---|---|---|---|\n'
    for f in mget_rps mget_p50_ms mget_p99_ms push_rps push_p50_ms push_p99_ms; do
        off=$(med off "$f"); on=$(med on "$f")
        awk -v f="$f" -v a="$off" -v b="$on" 'BEGIN {
            r = b / a; hi = (f ~ /rps$/); ok = hi ? r >= 1 / 1.1 : r <= 1.1
            printf "| %s | %.2f | %.2f | %.3f | %s |\n", f, a, b, r, ok ? "met" : "MISSED" }'
    done
} > "$BENCH_RESULT"
cat "$BENCH_RESULT"
