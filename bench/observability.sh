#!/usr/bin/env bash
# Observability overhead of issue 13: manifest GETs and manifest pushes with everything on against everything off,
# side by side in one run.
#
#   sudo bench/observability.sh
#   sudo OBS_ROUNDS=2 OBS_WARMUP_ROUNDS=1 BENCH_DURATION=3 bench/observability.sh          # smoke run
#
# Two Wharf processes (the embedded default: SQLite + filesystem, authentication off) run side by side, each on its
# own fresh data directory:
#   off = WHARF_METRICS_ENABLED=false plus $OBS_OFF_SETTINGS (default: the audit trail and webhooks off too)
#   on  = WHARF_METRICS_ENABLED=true WHARF_METRICS_ACCESS=open plus $OBS_ON_SETTINGS (default: the audit trail with
#         pulls sampled at 1 %), and with OBS_WEBHOOK=1 (default) a webhook subscription to every event type, to a
#         loopback receiver that answers 204 (deliveries run behind the pushes: the report says how many had arrived
#         when the last burst ended and how long the rest took).
#         The receiver shares the two cores with both processes but works only for "on", so its CPU is charged to
#         "on" although a real receiver runs elsewhere: it is kept as cheap as a receiver can be, and its CPU per
#         delivery is reported below the table. OBS_RECEIVER=c (default) is bench/webhook-sink.c, built with gcc
#         into the run's directory (~13 us per delivery in a run); OBS_RECEIVER=python is bench/webhook-sink.py, the
#         receiver of the reports before 2026-12-06 (~46 us; Python's http.server took ~130 us).
#         OBS_RECEIVER_NICE (default 0) runs it at that nice level: 19 stands for a receiver on another machine, its
#         CPU taken from the cores' idle time rather than from the processes measured (its deliveries then lag more)
# Each is seeded alike (OBS_IMAGES manifests over two blobs of its own). The loads, with BENCH_CONNECTIONS connections:
#   mget = wrk GETs of those manifests by digest, every answer's bytes verified (manifests.lua)
#   push = wrk PUTs of new manifests under new tags, every answer a 201 (push-manifests.lua): the harshest case, an
#          event, a webhook delivery and an audit record for every ~0.6-0.8 ms of the registry's work
#   ipush = with OBS_IMAGE_MIB > 0 (default 1024; 0 leaves it out), the push figure of the registry benchmark
#          (bench/run's push_s): skopeo copies bench/run's image (4 layers, OBS_IMAGE_MIB MiB, cached in
#          ~/.cache/wharf-bench) into a new repository, timed wall and CPU; one push per burst, run as root
#          (skopeo's system blob-info cache is cleared first, so every layer is uploaded)
# Phases, every burst BENCH_DURATION s, the two processes taking turns (who goes first alternates):
#   cold   one burst of each load right after start-up and seeding (a fresh process)
#   warm-up  OBS_WARMUP_ROUNDS rounds of both loads, unrecorded: the JIT compiles the paths the load takes (on two
#          cores its compiler threads still take a tenth of the CPU a minute in)
#   warm   OBS_ROUNDS rounds of both loads, recorded (a long-running process, as deployed)
# Before each burst (OBS_SETTLE=1, the default) the script waits until both processes and the receiver are idle
# (3 half-seconds in a row under 4 % of a core, 2 min at most): pushes leave "on" work to finish (webhook deliveries,
# audit batches, insight jobs; ~2 s of CPU after an 8 s push burst), which would otherwise land in the next burst of
# either process, whichever load it is. How long that took and the CPU "on" used meanwhile are reported.
# Why turns instead of one process after the other: on a shared VM the throughput drifts by ±20 % over minutes;
# two bursts seconds apart see the same machine, and each figure is the median over rounds of on/off per round.
# Besides throughput and latency, each process's CPU time per request (/proc, all threads) is reported.
# /metrics of "on" is scraped every OBS_SCRAPE_EVERY s throughout (as Prometheus would); at the end it must count
# at least the GETs wrk made.
# Bars (issue 13): on/off <= 1.1 for latency, >= 1/1.1 for throughput; judged warm. CPU per request: reported.
# Report: bench/results/YYYY-MM-DD-<commit>-observability.md (or $BENCH_RESULT), samples beside it (.tsv).
# Two builds instead of on/off: OBS_OFF_CHECKOUT=<another checkout> runs "off" with that checkout's bin/wharf (its
# commit is named in the report); give both the same settings (OBS_OFF_SETTINGS as "on"'s, OBS_WEBHOOK=0) to measure
# a change of a hot path, e.g. a library upgrade, side by side.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${OBS_ROUNDS:=6}" "${OBS_WARMUP_ROUNDS:=4}" "${OBS_IMAGES:=100}" "${OBS_SCRAPE_EVERY:=5}" "${BENCH_DURATION:=8}"
: "${BENCH_CONNECTIONS:=16}" "${BENCH_KEEP:=0}" "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}"
: "${OBS_ON_SETTINGS:=WHARF_AUDIT_READ_SAMPLE_RATE=0.01}" "${OBS_WEBHOOK:=1}" "${OBS_METRICS_ADDR:=}"
: "${OBS_OFF_SETTINGS:=WHARF_AUDIT_ENABLED=false WHARF_WEBHOOKS_ENABLED=false}"   # host:port of metrics.listen, if set
: "${OBS_OFF_CHECKOUT:=$REPO}" "${OBS_SETTLE:=1}" "${OBS_CHECK_SCRAPE:=1}" "${OBS_RECEIVER_NICE:=0}"
: "${OBS_RECEIVER:=c}" "${OBS_IMAGE_MIB:=1024}" "${BENCH_CACHE:=${HOME:-/root}/.cache/wharf-bench}"
OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
ACCEPT="Accept: $OCI_MANIFEST"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

for tool in wrk curl jq python3 sha256sum; do command -v "$tool" > /dev/null || die "$tool is missing"; done
if ((OBS_IMAGE_MIB > 0)); then
    command -v skopeo > /dev/null || die "skopeo is missing (OBS_IMAGE_MIB=0 leaves the image pushes out)"
    [[ $(id -u) == 0 ]] || die "run as root for the image pushes (skopeo's system blob-info cache), or OBS_IMAGE_MIB=0"
    sha_of() { sha256sum "$1" | cut -d' ' -f1; }
    size_of() { stat -c %s "$1"; }
    eval "$(sed -n '/^make_image() {/,/^}/p' "$BENCH_DIR/run")" # bench/run's image generator (uses the two above)
    IMAGE=$BENCH_CACHE/image-${OBS_IMAGE_MIB}mib
    if [[ ! -f $IMAGE.done ]]; then
        log "generating the ${OBS_IMAGE_MIB} MiB image (cached in $BENCH_CACHE)"
        mkdir -p "$BENCH_CACHE" && make_image "$IMAGE" "$OBS_IMAGE_MIB" && touch "$IMAGE.done"
    fi
fi
[[ -x $REPO/bin/wharf ]] || die "bin/wharf is missing"
WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-bench-obs.XXXXXX")
mkdir -p "$WORK/logs"
SAMPLES=$WORK/samples.tsv
: > "$SAMPLES"
cleanup() {
    stop_all
    [[ $BENCH_KEEP == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

start_wharf() { # NAME SETTINGS...
    local name=$1 checkout=$REPO
    shift
    [[ $name == off ]] && checkout=$OBS_OFF_CHECKOUT
    SRV_ADDR=127.0.0.1:$(free_port)
    # every burst pushes ~7,000 new images into one repository: lift the image quota (100,000) out of the way
    env WHARF_AUTH_ENABLED=false WHARF_QUOTAS_IMAGES_PER_REPOSITORY=100000000 "$@" "$checkout/bin/wharf" serve --listen "$SRV_ADDR" --data "$WORK/data-$name" \
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

seed() { # the blobs, then OBS_IMAGES manifests; writes the wrk list of their paths by digest to $WORK/list-$1
    local i m digest dir=$WORK/seed-$1
    mkdir -p "$dir"
    printf '{"architecture":"amd64","os":"linux"}' > "$dir/config"
    head -c 4096 /dev/urandom > "$dir/layer"
    CONFIG=$(blob "$dir/config" application/vnd.oci.image.config.v1+json)
    LAYER=$(blob "$dir/layer" application/vnd.oci.image.layer.v1.tar+gzip)
    : > "$WORK/list-$1"
    for ((i = 0; i < OBS_IMAGES; i++)); do
        m=$dir/m$i
        printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s],"annotations":{"n":"%s"}}' \
            "$OCI_MANIFEST" "$CONFIG" "$LAYER" "$i" > "$m"
        digest=sha256:$(sha256sum "$m" | cut -d' ' -f1)
        [[ $(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$m" -H "Content-Type: $OCI_MANIFEST" \
            "http://$SRV_ADDR/v2/bench/manifests/t$i") == 201 ]] || die "manifest push failed"
        printf '/v2/bench/manifests/%s %s %s\n' "$digest" "$digest" "$m" >> "$WORK/list-$1"
    done
}

scraper() { # scrapes /metrics every OBS_SCRAPE_EVERY s until killed
    while sleep "$OBS_SCRAPE_EVERY"; do
        curl -s -o /dev/null --max-time 5 "http://${OBS_METRICS_ADDR:-$SRV_ADDR}/metrics" || true
    done
}

ticks() { # the CPU ticks used so far by both processes and the receiver
    local p sum=0 stat rest
    for p in "${PID[on]}" "${PID[off]}" $RCV_PID; do
        stat=$(< "/proc/$p/stat") || continue
        rest=${stat##*) }
        # shellcheck disable=SC2086
        set -- $rest
        sum=$((sum + ${12} + ${13}))
    done
    echo "$sum"
}

settle() { # waits until the processes have finished what earlier bursts left them (deliveries, audit, insight jobs)
    local i a b idle=0 t0 c0
    t0=$(now_ns) c0=$(cpu_seconds "${PID[on]}")
    for ((i = 0; i < 240 && idle < 3; i++)); do # 3 quiet half-seconds in a row (< 4 % of a core), at most 2 min
        a=$(ticks)
        sleep 0.5
        b=$(ticks)
        ((b - a < 2)) && idle=$((idle + 1)) || idle=0
    done
    SETTLED_S=$(s_between "$t0" "$(now_ns)")
    SETTLED_ON_CPU=$(awk -v a="$c0" -v b="$(cpu_seconds "${PID[on]}")" 'BEGIN { printf "%.2f", b - a }')
}

burst() { # TARGET LOAD PHASE: one BENCH_DURATION s load on TARGET; records its figures unless PHASE is warmup
    local t=$1 load=$2 phase=$3 out res rps p50 p99 n c0 c1
    local addr=${ADDR[$t]} pid=${PID[$t]}
    out=$WORK/logs/$load-$t-$phase-$((++BURSTS)).txt
    if [[ $OBS_SETTLE == 1 ]]; then
        settle
        [[ $phase == warm ]] && sample all "settle_s" "$SETTLED_S" && sample on "settle_cpu_s" "$SETTLED_ON_CPU"
    fi
    [[ $load == ipush ]] && { image_push "$t" "$phase" "$out"; return 0; }
    c0=$(cpu_seconds "$pid")
    if [[ $load == mget ]]; then
        wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency -H "$ACCEPT" -s "$BENCH_DIR/manifests.lua" \
            "http://$addr" -- "$WORK/list-$t" > "$out" 2>&1
    else
        wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency -s "$BENCH_DIR/push-manifests.lua" \
            "http://$addr" -- bench "${CONF[$t]}" "${LAYR[$t]}" "$BURSTS" > "$out" 2>&1
    fi
    c1=$(cpu_seconds "$pid")
    res=$(parse_wrk "$out") || die "$load on $t failed ($out)"
    n=$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$out")
    [[ $t == on && $load == mget ]] && MADE=$((MADE + n))
    [[ $t == on && $load == push ]] && PUSHED=$((PUSHED + n))
    [[ $phase == warmup ]] && return 0
    read -r rps p50 p99 <<< "$res"
    sample "$t" "$phase-${load}_rps" "$rps"
    sample "$t" "$phase-${load}_p50_ms" "$p50"
    sample "$t" "$phase-${load}_p99_ms" "$p99"
    sample "$t" "$phase-${load}_cpu_us" "$(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')"
    return 0
}

image_push() { # TARGET PHASE LOG: one timed skopeo push of the image into a new repository; records its figures
    local t=$1 phase=$2 t0 t1 c0 c1
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
    c0=$(cpu_seconds "${PID[$t]}") t0=$(now_ns)
    skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGE:bench" "docker://${ADDR[$t]}/image-$BURSTS:latest" \
        > "$3" 2>&1 || die "image push to $t failed ($3)"
    t1=$(now_ns) c1=$(cpu_seconds "${PID[$t]}")
    [[ $phase == warmup ]] && return 0
    sample "$t" "$phase-ipush_s" "$(s_between "$t0" "$t1")"
    sample "$t" "$phase-ipush_cpu_s" "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')"
}

round() { # PHASE ROUND: both loads, the two processes taking turns (the first alternating by round)
    local load t order
    if (($2 % 2)); then order=(off on); else order=(on off); fi
    local loads=(mget push)
    ((OBS_IMAGE_MIB > 0)) && loads+=(ipush)
    for load in "${loads[@]}"; do
        for t in "${order[@]}"; do burst "$t" "$load" "$1"; done
    done
}

received() { curl -s --max-time 5 "http://127.0.0.1:$RCV_PORT/count"; }

drain() { # how many deliveries the receiver had at the last burst's end, and how long the rest took to arrive
    local at_end last now cpu t0=$SECONDS
    at_end=$(received)
    last=$at_end
    while sleep 3; do
        now=$(received)
        [[ $now == "$last" ]] || ((SECONDS - t0 >= 300)) && break
        last=$now
    done
    cpu=$(cpu_seconds "$RCV_PID")
    DRAIN="the receiver had $at_end deliveries when the last burst ended and $now once they stopped coming, $((SECONDS - t0)) s later (on: $OBS_IMAGES seeded and $PUSHED measured manifest pushes, an event each; pulls and the rest add theirs: every event type is subscribed). The receiver used $(awk -v c="$cpu" -v n="$now" 'BEGIN { printf "%.0f", n ? c * 1e6 / n : 0 }') us of CPU per delivery (start-up included)"
    log "webhooks: $DRAIN"
}

check_scrape() { # /metrics counted at least the GETs wrk made
    local counted
    counted=$(curl -s "http://${OBS_METRICS_ADDR:-${ADDR[on]}}/metrics" | awk '/^wharf_http_requests_total\{api="oci",operation="GetManifest",status_class="2xx"/ { print $2 }')
    awk -v c="${counted:-0}" -v m="$MADE" 'BEGIN { exit !(c >= m) }' \
        || die "/metrics counted ${counted:-no} manifest GETs, wrk made $MADE"
    log "on: /metrics counted $counted manifest GETs (wrk: $MADE)"
}

subscribe() { # the loopback receiver (bench/webhook-sink.c or .py, 204 to everything), subscribed to every event type
    local rport
    rport=$(free_port)
    if [[ $OBS_RECEIVER == c ]]; then
        gcc -O2 -o "$WORK/webhook-sink" "$BENCH_DIR/webhook-sink.c" || die "building bench/webhook-sink.c failed"
        nice -n "$OBS_RECEIVER_NICE" "$WORK/webhook-sink" "$rport" &
    else
        nice -n "$OBS_RECEIVER_NICE" python3 "$BENCH_DIR/webhook-sink.py" "$rport" &
    fi
    RCV_PID=$! RCV_PORT=$rport
    BENCH_PIDS+=("$RCV_PID")
    curl -sS --fail-with-body -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"url\":\"http://127.0.0.1:$rport/hook\"}" "http://$SRV_ADDR/wharf/v1/webhooks" \
        || die "creating the webhook subscription failed"
}

start() { # TARGET: starts it, seeds it, and for "on" subscribes the webhook receiver and starts the scraper
    local -a settings
    if [[ $1 == on ]]; then
        read -r -a settings <<< "WHARF_METRICS_ENABLED=true WHARF_METRICS_ACCESS=open $OBS_ON_SETTINGS"
    else
        read -r -a settings <<< "WHARF_METRICS_ENABLED=false $OBS_OFF_SETTINGS"
    fi
    start_wharf "$1" "${settings[@]}"
    ADDR[$1]=$SRV_ADDR
    PID[$1]=$SRV_PID
    [[ $1 == on && $OBS_WEBHOOK == 1 ]] && subscribe
    seed "$1"
    CONF[$1]=$CONFIG
    LAYR[$1]=$LAYER
    if [[ $1 == on ]]; then
        scraper &
        BENCH_PIDS+=("$!")
    fi
}

declare -A ADDR PID CONF LAYR
BURSTS=0 MADE=0 PUSHED=0 RCV_PID= RCV_PORT= DRAIN=
log "building and starting Wharf once (untimed)"
start_wharf warm
stop_pid "$SRV_PID"
start off
start on
log "cold: one burst of each load"
round cold 1
for ((r = 1; r <= OBS_WARMUP_ROUNDS; r++)); do log "warm-up round $r/$OBS_WARMUP_ROUNDS"; round warmup "$r"; done
for ((r = 1; r <= OBS_ROUNDS; r++)); do log "warm round $r/$OBS_ROUNDS"; round warm "$r"; done
[[ $OBS_CHECK_SCRAPE == 0 ]] || check_scrape
[[ -n $RCV_PID ]] && drain

ratio() { # PHASE FIGURE: the median over rounds of on/off (the samples of on and off in recording order, paired)
    paste <(awk -F'\t' -v f="$1-$2" '$1 == "off" && $2 == f { print $3 }' "$SAMPLES") \
        <(awk -F'\t' -v f="$1-$2" '$1 == "on" && $2 == f { print $3 }' "$SAMPLES") |
        awk '$1 > 0 { printf "%.4f\n", $2 / $1 }' | median
}
med() { awk -F'\t' -v t="$1" -v f="$2" '$1 == t && $2 == f { print $3 }' "$SAMPLES" | median; }
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
: "${BENCH_RESULT:=$REPO/bench/results/$(date -u +%Y-%m-%d)-$COMMIT-observability.md}"
cp "$SAMPLES" "${BENCH_RESULT%.md}.tsv"
{
    printf '# Observability overhead at %s (%s)\n\n' "$COMMIT" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'Two processes side by side taking turns; %s s bursts, %s connections, %s manifests, %s cores. ' \
        "$BENCH_DURATION" "$BENCH_CONNECTIONS" "$OBS_IMAGES" "$(nproc)"
    printf 'Warm: medians of %s rounds after %s unrecorded rounds; cold: the first burst of each load. ' \
        "$OBS_ROUNDS" "$OBS_WARMUP_ROUNDS"
    ((OBS_IMAGE_MIB == 0)) || printf 'ipush: one skopeo push of a %s MiB image (4 layers) per burst. ' "$OBS_IMAGE_MIB"
    printf 'on: metrics%s%s, scraped every %s s. ' "${OBS_ON_SETTINGS:+ and $OBS_ON_SETTINGS}" \
        "$([[ $OBS_WEBHOOK == 1 ]] && printf ' and a webhook subscription')" "$OBS_SCRAPE_EVERY"
    [[ $OBS_OFF_CHECKOUT == "$REPO" ]] || printf 'off: the build of %s (%s), with %s. ' \
        "$(git -C "$OBS_OFF_CHECKOUT" rev-parse --short HEAD)" "$OBS_OFF_CHECKOUT" "${OBS_OFF_SETTINGS:-no settings}"
    printf 'on/off is the median of the per-round ratios. Bars (judged warm): throughput >= 0.91, latency <= 1.1; CPU per request is reported, not judged.\n\n'
    printf '| phase | figure | off | on | on/off | bar |\n|---|---|---|---|---|---|\n'
    for phase in warm cold; do
        for f in mget_rps mget_p50_ms mget_p99_ms mget_cpu_us push_rps push_p50_ms push_p99_ms push_cpu_us ipush_s ipush_cpu_s; do
            [[ $f != ipush* ]] || ((OBS_IMAGE_MIB > 0)) || continue
            off=$(med off "$phase-$f"); on=$(med on "$phase-$f"); r=$(ratio "$phase" "$f")
            awk -v p="$phase" -v f="$f" -v a="$off" -v b="$on" -v r="$r" 'BEGIN {
                hi = (f ~ /rps$/); ok = hi ? r >= 1 / 1.1 : r <= 1.1; cpu = (f ~ /cpu_(us|s)$/)
                printf "| %s | %s | %.2f | %.2f | %.3f | %s |\n", p, f, a, b, r, p == "cold" || cpu ? "(not judged)" : ok ? "met" : "MISSED" }'
        done
    done
    [[ -z $RCV_PID ]] || printf '\nWebhook deliveries (to bench/webhook-sink.%s on the same cores, at nice %s): %s.\n' \
        "$([[ $OBS_RECEIVER == c ]] && echo c || echo py)" "$OBS_RECEIVER_NICE" "$DRAIN"
    [[ $OBS_SETTLE == 0 ]] || printf '\nBefore each warm burst the processes were let finish what earlier bursts left them (OBS_SETTLE=1): a median of %s s (max %s s), in which "on" used a median of %s s of CPU (max %s s).\n' \
        "$(med all settle_s)" "$(awk -F'\t' '$2 == "settle_s" { print $3 }' "$SAMPLES" | sort -g | tail -1)" \
        "$(med on settle_cpu_s)" "$(awk -F'\t' '$2 == "settle_cpu_s" { print $3 }' "$SAMPLES" | sort -g | tail -1)"
} > "$BENCH_RESULT"
cat "$BENCH_RESULT"
