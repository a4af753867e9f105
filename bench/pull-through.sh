#!/usr/bin/env bash
# Pull-through cache benchmark of issue 12 (root: skopeo's system blob-info cache is cleared between pulls):
#
#   sudo bench/pull-through.sh
#   sudo PTC_RUNS=1 BENCH_IMAGE_MIB=32 bench/pull-through.sh      # smoke run
#
# Per run, on fresh data directories: Debian's docker-registry (CNCF Distribution) is the upstream, holding the
# bench image (bench/run's: 4 tar+gzip layers of random data, BENCH_IMAGE_MIB MiB, cached in ~/.cache/wharf-bench);
# a Wharf (the embedded default: SQLite + filesystem, authentication off) has a pull-through cache rule `up` for it.
#   direct  = skopeo copy of the image from the upstream to dir:
#   first   = the same through the cache (nothing cached: streamed from the upstream while stored), in the fresh
#             Wharf process (cold: JIT compilation of the whole path happens during this pull)
#   warm    = the same first pull through a second rule `up2` (nothing cached under up2/), the process now warm
#   second  = the same again, the upstream stopped (served from the cache's storage)
#   local   = the same image pushed to the Wharf (not through a rule) and pulled from there
# direct and first alternate which goes first. Bars: first <= 1.1 x direct (+ a small constant); second ~ local.
# PTC_UPSTREAM_RATE (e.g. 1gbit; default empty: unshaped) shapes the upstream's replies to that rate (tc: an htb
# qdisc on lo, a class at that rate for the upstream's source port, the rest in one at 100gbit), as an upstream
# across a network would be: direct and cached pulls alike; skopeo's connections to Wharf are not shaped.
# Report: bench/results/YYYY-MM-DD-<commit>-pull-through.md (or $BENCH_RESULT), samples beside it (.tsv).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${PTC_RUNS:=3}" "${BENCH_IMAGE_MIB:=1024}" "${BENCH_KEEP:=0}" "${PTC_UPSTREAM_RATE:=}"
: "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}" "${BENCH_CACHE:=${HOME:-/root}/.cache/wharf-bench}"
OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh" # wait_up; the helpers below are this script's own

log() { printf '%s  bench/pull-through: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# bench/run's image generator, not a copy of it
eval "$(sed -n '/^make_image() {/,/^}/p' "$BENCH_DIR/run")"

[[ $(id -u) == 0 ]] || die "run as root (skopeo's system blob-info cache is cleared between pulls)"
[[ -z $PTC_UPSTREAM_RATE ]] || command -v tc > /dev/null || die "tc is missing (Debian's iproute2)"
for tool in skopeo docker-registry curl jq python3; do command -v "$tool" > /dev/null || die "$tool is missing"; done
WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-bench-ptc.XXXXXX")
mkdir -p "$WORK/logs"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2> /dev/null || true; done
    [[ -z $PTC_UPSTREAM_RATE ]] || tc qdisc del dev lo root 2> /dev/null || true
    [[ $BENCH_KEEP == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

start_upstream() { # RUN
    local dir=$WORK/upstream-$1
    mkdir -p "$dir"
    UP=127.0.0.1:$(free_port)
    printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' \
        "$dir/data" "$UP" > "$dir/config.yml"
    env -u REGISTRY_AUTH_FILE docker-registry serve "$dir/config.yml" > "$WORK/logs/upstream-$1.log" 2>&1 &
    UP_PID=$!
    PIDS+=("$UP_PID")
    wait_up "http://$UP/v2/" "$UP_PID" || die "docker-registry did not start"
}

shape_upstream() { # the upstream's replies (source port $UP's on lo) at PTC_UPSTREAM_RATE, the rest untouched
    [[ -n $PTC_UPSTREAM_RATE ]] || return 0
    tc qdisc del dev lo root 2> /dev/null || true
    tc qdisc add dev lo root handle 1: htb default 1
    tc class add dev lo parent 1: classid 1:1 htb rate 100gbit quantum 200000
    tc class add dev lo parent 1: classid 1:2 htb rate "$PTC_UPSTREAM_RATE" burst 1mb cburst 1mb quantum 200000
    tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip sport "${UP##*:}" 0xffff flowid 1:2
}

start_wharf() { # RUN
    W=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=false "$REPO/bin/wharf" serve --listen "$W" --data "$WORK/wharf-$1" \
        > "$WORK/logs/wharf-$1.log" 2>&1 &
    W_PID=$!
    PIDS+=("$W_PID")
    wait_up "http://$W/v2/" "$W_PID" || die "wharf did not start (log: $WORK/logs/wharf-$1.log)"
    # auth off: the aws CLI's signature is not checked, any keys do
    AWS_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null /usr/bin/aws --endpoint-url "http://$W" \
        ecr create-pull-through-cache-rule --ecr-repository-prefix up --upstream-registry-url "http://$UP" > /dev/null
    # a second rule to the same upstream: its first pull runs in a process that is already warm
    AWS_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null /usr/bin/aws --endpoint-url "http://$W" \
        ecr create-pull-through-cache-rule --ecr-repository-prefix up2 --upstream-registry-url "http://$UP" > /dev/null
}

# waits (at most 120 s) until the registry's background work after the last pull (storing the image, layer
# insight) is over: 2 s in a row with less than 20 ms of CPU per half second, so it does not compete with the next
# timed pull
settle() {
    local i a b idle=0
    [[ -n ${W_PID:-} && -r /proc/$W_PID/stat ]] || return 0
    for ((i = 0; i < 240 && idle < 4; i++)); do # 4 quiet half-seconds in a row: longer than import-delay (1 s)
        a=$(awk '{ print $14 + $15 }' "/proc/$W_PID/stat")
        sleep 0.5
        b=$(awk '{ print $14 + $15 }' "/proc/$W_PID/stat")
        ((b - a < 2)) && idle=$((idle + 1)) || idle=0
    done
}

TICK=$(getconf CLK_TCK)
# CPU ticks (user + system) so far of the processes PID... (0 for one that is gone); with "children-of:PID", those
# of PID's children it waited for
ticks() {
    local sum=0 p f
    for p in "$@"; do
        [[ $p == children-of:* ]] && p=${p#children-of:} f=(15 16) || f=(13 14)
        local -a st=()
        read -r -a st 2> /dev/null < "/proc/$p/stat" || continue
        sum=$((sum + st[f[0]] + st[f[1]]))
    done
    echo "$sum"
}

# a timed skopeo copy of REF (host/repo:tag) to a fresh dir:; prints its seconds, then the CPU seconds skopeo used
# and those the registries (Wharf and the upstream, whichever runs) used meanwhile
pull() { # REF
    local out=$WORK/sink t0 t1 c0 c1 r0 r1 me=$BASHPID
    settle
    rm -rf "$out" /var/lib/containers/cache/blob-info-cache-v1.boltdb
    c0=$(ticks "children-of:$me") r0=$(ticks "${W_PID:-0}" "${UP_PID:-0}") t0=$(now_ns)
    skopeo copy --quiet --src-tls-verify=false "docker://$1" "dir:$out" >> "$WORK/logs/skopeo.log" 2>&1 \
        || die "pull of $1 failed (log: $WORK/logs/skopeo.log)"
    t1=$(now_ns) c1=$(ticks "children-of:$me") r1=$(ticks "${W_PID:-0}" "${UP_PID:-0}")
    [[ $(sha256sum < "$out/manifest.json" | cut -d' ' -f1) == "${DIGEST#sha256:}" ]] || die "$1: wrong manifest"
    printf '%s %s %s\n' "$(secs "$t0" "$t1")" "$(awk -v t="$TICK" -v n=$((c1 - c0)) 'BEGIN { printf "%.2f", n / t }')" \
        "$(awk -v t="$TICK" -v n=$((r1 - r0)) 'BEGIN { printf "%.2f", n / t }')"
}

push() { # REF
    skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGE:bench" "docker://$1" >> "$WORK/logs/skopeo.log" 2>&1 \
        || die "push to $1 failed"
}

IMAGE=$BENCH_CACHE/image-${BENCH_IMAGE_MIB}mib
if [[ ! -f $IMAGE.done ]]; then
    log "generating the ${BENCH_IMAGE_MIB} MiB image (cached in $BENCH_CACHE)"
    mkdir -p "$BENCH_CACHE"
    make_image "$IMAGE" "$BENCH_IMAGE_MIB"
    touch "$IMAGE.done"
fi
DIGEST=$(jq -r '.manifests[0].digest' "$IMAGE/index.json")
[[ -x $REPO/bin/wharf ]] || die "bin/wharf is missing"
TSV=$WORK/samples.tsv
printf 'run\tdirect_s\tfirst_s\tsecond_s\tlocal_s\twarm_first_s\tdirect_client_cpu_s\tdirect_registry_cpu_s\twarm_client_cpu_s\twarm_registry_cpu_s\n' > "$TSV"

for ((r = 1; r <= PTC_RUNS; r++)); do
    start_upstream "$r"
    push "$UP/bench:latest"
    shape_upstream
    start_wharf "$r"
    if ((r % 2)); then
        read -r direct dcc drc <<< "$(pull "$UP/bench:latest")"; read -r first _ <<< "$(pull "$W/up/bench:latest")"
    else
        read -r first _ <<< "$(pull "$W/up/bench:latest")"; read -r direct dcc drc <<< "$(pull "$UP/bench:latest")"
    fi
    # the same first pull again (nothing cached under up2/), the process warm
    read -r warm wcc wrc <<< "$(pull "$W/up2/bench:latest")"
    kill "$UP_PID"; wait "$UP_PID" 2> /dev/null || true
    for ((i = 0; i < 600; i++)); do # stored once its blobs are: with the upstream down, only then a 200
        [[ $(curl -s -o /dev/null -w '%{http_code}' -I "http://$W/v2/up/bench/manifests/latest") == 200 ]] && break
        sleep 0.2
    done
    read -r second _ <<< "$(pull "$W/up/bench:latest")"
    push "$W/local/bench:latest"
    read -r local_s _ <<< "$(pull "$W/local/bench:latest")"
    kill "$W_PID"; wait "$W_PID" 2> /dev/null || true
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$direct" "$first" "$second" "$local_s" "$warm" \
        "$dcc" "$drc" "$wcc" "$wrc" | tee -a "$TSV" >&2
done

col() { tail -n +2 "$TSV" | cut -f"$1" | median; }
d=$(col 2) f=$(col 3) s=$(col 4) l=$(col 5) w=$(col 6) dcc=$(col 7) drc=$(col 8) wcc=$(col 9) wrc=$(col 10)
CORES=$(nproc)
cpu_row() { # LABEL CLIENT REGISTRIES WALL: CPU seconds, and what they would take on all the cores at once
    awk -v l="$1" -v c="$2" -v r="$3" -v w="$4" -v n="$CORES" 'BEGIN {
        printf "| %s | %.2f | %.2f | %.2f | %.2f s (%.0f %% of the wall time) |\n", l, c, r, c + r, (c + r) / n, 100 * (c + r) / n / w }'
}
DATE=$(date +%F)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2> /dev/null || echo unknown)
RESULT=${BENCH_RESULT:-$REPO/bench/results/$DATE-$COMMIT-pull-through.md}
{
    echo "# Pull-through cache: $BENCH_IMAGE_MIB MiB image, $PTC_RUNS run(s), $DATE, commit $COMMIT"
    echo
    echo "Upstream: Debian's docker-registry; cache: Wharf (embedded default, auth off), rule \`up\`; client: skopeo copy to dir:."
    [[ -z $PTC_UPSTREAM_RATE ]] || echo "The upstream's replies shaped to $PTC_UPSTREAM_RATE (tc on lo), as across a network; Wharf's to skopeo not."
    [[ $BENCH_IMAGE_MIB -ge 1024 && $PTC_RUNS -ge 3 ]] || echo "**Smoke run (small image or few runs): not comparable with the targets.**"
    echo
    echo "| pull | median s | ratio |"
    echo "|---|---|---|"
    echo "| direct from the upstream | $d | |"
    echo "| first, through the cache (a fresh process: cold) | $f | $(awk -v a="$f" -v b="$d" 'BEGIN { printf "%.2f x direct (bar <= 1.1), %+.2f s", a / b, a - b }') |"
    echo "| first, through a second rule (the process warm) | $w | $(awk -v a="$w" -v b="$d" 'BEGIN { printf "%.2f x direct (bar <= 1.1), %+.2f s", a / b, a - b }') |"
    echo "| second, from the cache (upstream stopped) | $s | $(awk -v a="$s" -v b="$l" 'BEGIN { printf "%.2f x local", a / b }') |"
    echo "| local (pushed to Wharf, embedded default) | $l | |"
    echo
    echo "CPU during a pull (medians; CPU seconds of the skopeo process, and of the registry processes: the upstream,"
    echo "and Wharf for the pull through the cache). Where the total over $CORES cores comes near the wall time, the"
    echo "pull is bound by the cores, and every CPU second the cache adds lengthens it:"
    echo
    echo "| pull | skopeo CPU-s | registries CPU-s | total CPU-s | total / $CORES cores |"
    echo "|---|---|---|---|---|"
    cpu_row "direct from the upstream" "$dcc" "$drc" "$d"
    cpu_row "first, through the cache (warm)" "$wcc" "$wrc" "$w"
    echo
    echo "Samples: $(basename "${RESULT%.md}.tsv")"
} > "$RESULT"
cp "$TSV" "${RESULT%.md}.tsv"
cat "$RESULT"
