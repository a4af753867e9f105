#!/usr/bin/env bash
# The web console and the gallery at scale (issue 14): how fast the pages answer over 10,000 repositories and
# 100,000 tags, cold and warm.
#
#   bench/console.sh
#   CONSOLE_REPOS=200 CONSOLE_TAGS=2000 CONSOLE_BIG_TAGS=1000 CONSOLE_PUBLIC=20 BENCH_DURATION=2 BENCH_WARMUP=1 \
#       bench/console.sh                                                                 # smoke run
#
# One Wharf (the embedded default: SQLite + filesystem, authentication off, so the console signs everyone in as
# the root) on a fresh data directory, seeded over its own HTTP APIs by bench/console-seed.py with
# CONSOLE_SEED_THREADS keep-alive connections: one config and one layer blob, mounted into every repository;
# CONSOLE_REPOS repositories ("big" and repo-00001 ...), "big" with CONSOLE_BIG_TAGS tags (one image each), the
# others sharing the rest of CONSOLE_TAGS tags; CONSOLE_PUBLIC of them public with catalog data (ECR Public's
# PutRepositoryCatalogData). The seeding time is reported; it is not a figure of the pages.
# Then Wharf is restarted on that data (a fresh process), and each page is measured:
#   repos-first   GET /console/                              the repository list's first page
#   repos-deep    GET /console/?after=<name at 90 %>         a deep keyset page
#   repos-prefix  GET /console/?prefix=<a prefix mid-list>   a prefix search
#   images-first  GET /console/repositories/big              a repository's images, first page
#   images-deep   GET /console/repositories/big?after=<digest at 90 %>   a deep page of them
#   image         GET /console/repositories/big/-/images/<digest>        one image's page
#   gallery       GET /wharf/v1/gallery?q=nginx              the gallery's JSON search, no sign-in
# cold: right after the restart, CONSOLE_COLD_REQUESTS sequential requests of each page (curl; the first one's
#       time and the p50/p99 of all); warm: per page a BENCH_WARMUP s wrk burst unrecorded, then a
#       BENCH_DURATION s burst with BENCH_CONNECTIONS connections, recorded (requests/s, p50, p99). Every answer
#       must be a 200 holding the page's expected text (bench/pages.lua), or the run fails.
# Report: bench/results/YYYY-MM-DD-<commit>-console.md (or $BENCH_RESULT), samples beside it (.tsv).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${CONSOLE_REPOS:=10000}" "${CONSOLE_TAGS:=100000}" "${CONSOLE_BIG_TAGS:=10000}" "${CONSOLE_PUBLIC:=1000}"
: "${CONSOLE_SEED_THREADS:=8}" "${CONSOLE_COLD_REQUESTS:=20}"
: "${BENCH_DURATION:=10}" "${BENCH_WARMUP:=5}" "${BENCH_CONNECTIONS:=8}" "${BENCH_KEEP:=0}"
: "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

for tool in wrk curl python3; do command -v "$tool" > /dev/null || die "$tool is missing"; done
[[ -x $REPO/bin/wharf ]] || die "bin/wharf is missing"
((CONSOLE_REPOS >= 2 && CONSOLE_BIG_TAGS >= 10)) || die "CONSOLE_REPOS >= 2 and CONSOLE_BIG_TAGS >= 10, please"
WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-bench-console.XXXXXX")
mkdir -p "$WORK/logs"
SAMPLES=$WORK/samples.tsv
: > "$SAMPLES"
cleanup() {
    stop_all
    [[ $BENCH_KEEP == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

start_wharf() { # NAME: serves $WORK/data (auth off) on a free port; sets SRV_ADDR and SRV_PID
    local i
    SRV_ADDR=127.0.0.1:$(free_port)
    env WHARF_AUTH_ENABLED=false "$REPO/bin/wharf" serve --listen "$SRV_ADDR" --data "$WORK/data" \
        > "$WORK/logs/wharf-$1.log" 2>&1 &
    SRV_PID=$!
    BENCH_PIDS+=("$SRV_PID")
    for ((i = 0; i < 900; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$SRV_ADDR/v2/") == 200 ]] && return 0
        kill -0 "$SRV_PID" 2> /dev/null || break
        sleep 0.2
    done
    die "wharf did not start (log: $WORK/logs/wharf-$1.log)"
}

session() { # a console session's cookie (auth off: the first visit starts a root session; the sign-in page
    # redirects then, so no measured page is rendered before the cold requests)
    curl -s -o /dev/null -D - "http://$SRV_ADDR/console/sign-in" | tr -d '\r' \
        | sed -n 's/^[Ss]et-[Cc]ookie: \(wharf_console=[^;]*\).*/\1/p' | head -1
}

pages() { # the measured pages: "NAME PATH EXPECTED-TEXT", from the seed's names and digests
    local deep=$((CONSOLE_REPOS * 9 / 10)) mid=$((CONSOLE_REPOS / 2)) n digests=$WORK/big-digests
    n=$(wc -l < "$digests")
    local deep_digest next_digest first_digest image_digest
    first_digest=$(sed -n 1p "$digests")
    deep_digest=$(sed -n "$((n * 9 / 10))p" "$digests")
    next_digest=$(sed -n "$((n * 9 / 10 + 1))p" "$digests")
    image_digest=$(sed -n "$((n / 2))p" "$digests")
    local prefix
    prefix=$(printf 'repo-%05d' "$mid")
    prefix=${prefix%??}
    printf 'repos-first /console/ big\n'
    printf 'repos-deep /console/?after=%s %s\n' "$(printf 'repo-%05d' "$deep")" "$(printf 'repo-%05d' $((deep + 1)))"
    printf 'repos-prefix /console/?prefix=%s %s\n' "$prefix" "$(printf 'repo-%05d' $((10#${prefix#repo-} * 100 + 1)))"
    printf 'images-first /console/repositories/big %s\n' "${first_digest:0:19}"
    printf 'images-deep /console/repositories/big?after=%s %s\n' "$deep_digest" "${next_digest:0:19}"
    printf 'image /console/repositories/big/-/images/%s %s\n' "$image_digest" "$image_digest"
    printf 'gallery /wharf/v1/gallery?q=nginx %s\n' '"repositoryName"'
}

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$SAMPLES"; }

cold() { # NAME PATH EXPECTED: CONSOLE_COLD_REQUESTS sequential requests, each checked
    local name=$1 path=$2 expected=$3 i ms out=$WORK/logs/cold-$1.txt body=$WORK/body
    : > "$out"
    for ((i = 0; i < CONSOLE_COLD_REQUESTS; i++)); do
        ms=$(curl -s -o "$body" -w '%{http_code} %{time_total}' -H "Cookie: $COOKIE" "http://$SRV_ADDR$path")
        [[ ${ms%% *} == 200 ]] && grep -qF -- "$expected" "$body" || die "cold $name: HTTP ${ms%% *} or no '$expected'"
        awk -v s="${ms#* }" 'BEGIN { printf "%.3f\n", s * 1000 }' >> "$out"
    done
    record "$name" cold-first_ms "$(head -1 "$out")"
    record "$name" cold-p50_ms "$(percentile 50 < "$out")"
    record "$name" cold-p99_ms "$(percentile 99 < "$out")"
}

percentile() { # P: the P-th percentile (nearest rank) of the numbers on stdin
    sort -g | awk -v p="$1" '{ v[NR] = $1 } END { r = int((p / 100) * NR + 0.999999); if (r < 1) r = 1; print v[r] }'
}

warm() { # NAME PATH EXPECTED: an unrecorded burst, then a recorded one
    local name=$1 path=$2 expected=$3 out=$WORK/logs/warm-$1.txt figures rps p50 p99
    wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP}s" -H "Cookie: $COOKIE" -s "$BENCH_DIR/pages.lua" \
        "http://$SRV_ADDR$path" -- "$expected" > "$WORK/logs/warmup-$name.txt" 2>&1
    wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency -H "Cookie: $COOKIE" -s "$BENCH_DIR/pages.lua" \
        "http://$SRV_ADDR$path" -- "$expected" > "$out" 2>&1
    figures=$(parse_wrk "$out") || die "warm $name failed (see $out)"
    read -r rps p50 p99 <<< "$figures"
    record "$name" warm-rps "$rps"
    record "$name" warm-p50_ms "$p50"
    record "$name" warm-p99_ms "$p99"
}

log "building and starting Wharf; seeding $CONSOLE_REPOS repositories, $CONSOLE_TAGS tags over HTTP"
start_wharf seed
SEEDED=$(python3 "$BENCH_DIR/console-seed.py" "$SRV_ADDR" "$WORK" "$CONSOLE_REPOS" "$CONSOLE_TAGS" \
    "$CONSOLE_BIG_TAGS" "$CONSOLE_PUBLIC" "$CONSOLE_SEED_THREADS") || die "seeding failed"
log "$SEEDED"
stop_pid "$SRV_PID"
log "restarting Wharf on the seeded data (cold)"
start_wharf measure
COOKIE=$(session)
[[ -n $COOKIE ]] || die "no console session cookie"
mapfile -t PAGES < <(pages)
for p in "${PAGES[@]}"; do
    read -r name path expected <<< "$p"
    log "cold: $name"
    cold "$name" "$path" "$expected"
done
for p in "${PAGES[@]}"; do
    read -r name path expected <<< "$p"
    log "warm: $name"
    warm "$name" "$path" "$expected"
done

COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
: "${BENCH_RESULT:=$REPO/bench/results/$(date -u +%Y-%m-%d)-$COMMIT-console.md}"
cp "$SAMPLES" "${BENCH_RESULT%.md}.tsv"
fig() { awk -F'\t' -v n="$1" -v f="$2" '$1 == n && $2 == f { print $3; exit }' "$SAMPLES"; }
{
    printf '# Console and gallery pages at %s (%s)\n\n' "$COMMIT" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    if ((CONSOLE_REPOS != 10000 || CONSOLE_TAGS != 100000 || CONSOLE_BIG_TAGS != 10000 || CONSOLE_PUBLIC != 1000)); then
        printf '**Not the issue'"'"'s scale** (10,000 repositories, 100,000 tags, 10,000 in one repository, 1,000 public): '
        printf 'a smoke run; its figures say that the script works, not how fast the pages are at scale.\n\n'
    fi
    printf '%s. One Wharf (SQLite, auth off), restarted after seeding; %s cores. ' "$SEEDED" "$(nproc)"
    printf 'Cold: %s sequential curl requests per page right after the restart (the first one, and p50/p99 of all). ' \
        "$CONSOLE_COLD_REQUESTS"
    printf 'Warm: wrk, %s connections, %s s per page after %s s unrecorded. Pages in the script'"'"'s header.\n\n' \
        "$BENCH_CONNECTIONS" "$BENCH_DURATION" "$BENCH_WARMUP"
    printf '| page | cold first (ms) | cold p50 (ms) | cold p99 (ms) | warm req/s | warm p50 (ms) | warm p99 (ms) |\n'
    printf '|---|---|---|---|---|---|---|\n'
    for p in "${PAGES[@]}"; do
        read -r name _ <<< "$p"
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$(fig "$name" cold-first_ms)" \
            "$(fig "$name" cold-p50_ms)" "$(fig "$name" cold-p99_ms)" "$(fig "$name" warm-rps)" \
            "$(fig "$name" warm-p50_ms)" "$(fig "$name" warm-p99_ms)"
    done
} > "$BENCH_RESULT"
cat "$BENCH_RESULT"
