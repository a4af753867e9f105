# shellcheck shell=bash
# Helpers for bench/run: processes, measurements, load-tool parsing, the samples file and the report.
# Sourced by bench/run; everything it starts is recorded in BENCH_PIDS and stopped by PID on exit.

BENCH_PIDS=()           # PIDs of every server we started (registries, nginx); stopped on exit
CLK_TCK=$(getconf CLK_TCK)

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    printf 'bench: %s\n' "$*" >&2
    exit 1
}
now_ns() { date +%s%N; }
# Milliseconds between two now_ns values.
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }
# Seconds between two now_ns values.
s_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# True when workload $1 is not in BENCH_SKIP (or is in BENCH_ONLY, when that is set).
wanted() {
    if [[ -n ${BENCH_ONLY:-} ]]; then [[ " $BENCH_ONLY " == *" $1 "* ]]; return; fi
    [[ " ${BENCH_SKIP:-} " != *" $1 "* ]]
}

# A TCP port nothing listens on, on 127.0.0.1, below the kernel's ephemeral range (see e2e/lib.sh's free_port).
free_port() {
    local p i low
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || echo 32768)
    [[ $low -gt 12000 ]] 2> /dev/null || low=32768
    for ((i = 0; i < 200; i++)); do
        p=$((10000 + (RANDOM * 32768 + RANDOM) % (low - 10000)))
        if ! (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    die "no free port found"
}

# ---------------------------------------------------------------------------------------------------
# Processes

# wait_up URL PID: until URL answers 200 (3 min at most); false at once if PID exits first.
wait_up() {
    local i
    for ((i = 0; i < 900; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") == 200 ]] && return 0
        kill -0 "$2" 2> /dev/null || return 1
        sleep 0.2
    done
    return 1
}

forget_pid() {
    local p keep=()
    for p in "${BENCH_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    BENCH_PIDS=(${keep[@]+"${keep[@]}"})
}

# stop_pid PID: SIGTERM, up to 40 s for it to exit, then SIGKILL. Only ever a PID we started.
stop_pid() {
    local pid=$1 i
    if kill -0 "$pid" 2> /dev/null; then
        kill -TERM "$pid" 2> /dev/null || true
        for ((i = 0; i < 400; i++)); do
            kill -0 "$pid" 2> /dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2> /dev/null; then
            log "PID $pid did not stop on SIGTERM within 40 s; SIGKILL"
            kill -KILL "$pid" 2> /dev/null || true
        fi
    fi
    wait "$pid" 2> /dev/null || true
    forget_pid "$pid"
}

stop_all() {
    local i
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${BENCH_PIDS[i]}"; done
}

# CPU seconds (user + system, all threads) the process has used so far.
cpu_seconds() {
    local stat rest
    stat=$(< "/proc/$1/stat") || return 1
    rest=${stat##*) } # the command name may contain spaces and parentheses; fields start after the last ")"
    # shellcheck disable=SC2086
    set -- $rest # $1 = state (field 3), so utime (field 14) is $12 and stime (field 15) is $13
    awk -v u="${12}" -v s="${13}" -v t="$CLK_TCK" 'BEGIN { printf "%.3f", (u + s) / t }'
}

# status_mib PID FIELD: a kB field of /proc/PID/status (VmRSS, VmHWM) in MiB.
status_mib() {
    awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) exit 1 }' "/proc/$1/status"
}

# wait_http_200 URL TIMEOUT_S [CURL_ARGS...]: polls until the URL answers 200; false on timeout.
wait_http_200() {
    local url=$1 timeout=$2 deadline
    shift 2
    deadline=$(($(date +%s) + timeout))
    while (($(date +%s) < deadline)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url" 2> /dev/null) == 200 ]] && return 0
        sleep 0.005
    done
    return 1
}

# ---------------------------------------------------------------------------------------------------
# Samples: one line per measurement, "<target>\t<figure>\t<value>", in $SAMPLES.

sample() {
    [[ $3 =~ ^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$ ]] || { log "not a number for $1 $2: '$3'"; return 1; }
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$SAMPLES"
}

# Median of the numbers on stdin.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---------------------------------------------------------------------------------------------------
# Load tools

# Latency as wrk prints it (850.00us, 34.16ms, 1.20s, 2.00m) in milliseconds.
wrk_ms() {
    awk -v x="$1" 'BEGIN {
        n = x + 0; u = x; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}

# parse_wrk FILE: prints "rps p50_ms p99_ms"; fails on errors, non-2xx responses, or unless
# bench/manifests.lua verified every response's bytes ("verified: N responses, 0 bad", N = wrk's count).
parse_wrk() {
    local f=$1 rps p50 p99 requests checked bad verified
    if grep -q 'Non-2xx or 3xx responses' "$f"; then
        log "wrk saw non-2xx responses: $(grep 'Non-2xx' "$f")"
        return 1
    fi
    requests=$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$f")
    verified=$(sed -n 's/^verified: \([0-9]*\) responses, \([0-9]*\) bad$/\1 \2/p' "$f")
    read -r checked bad <<< "$verified"
    if [[ -z ${checked:-} || $bad != 0 || $checked != "$requests" || $checked == 0 ]]; then
        log "wrk: responses not verified: ${checked:-no} checked, ${bad:-?} bad, of ${requests:-?} requests"
        return 1
    fi
    if grep -q 'Socket errors' "$f"; then log "wrk: $(grep 'Socket errors' "$f")"; fi
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
    p50=$(awk '$1 == "50%" { print $2; exit }' "$f")
    p99=$(awk '$1 == "99%" { print $2; exit }' "$f")
    [[ -n $rps && -n $p50 && -n $p99 ]] || return 1
    printf '%s %s %s\n' "$rps" "$(wrk_ms "$p50")" "$(wrk_ms "$p99")"
}

# parse_hey FILE: prints "rps p50_ms p99_ms"; fails unless every response was a 200.
parse_hey() {
    local f=$1 rps p50 p99
    if ! awk '/Status code distribution/ { s = 1; next } s && /\[[0-9]+\]/ { if ($1 != "[200]") bad = 1; n++ }
              END { exit (bad || n == 0) }' "$f"; then
        log "hey saw responses other than 200 (or none):"
        sed -n '/Status code distribution/,$p' "$f" >&2
        return 1
    fi
    rps=$(awk '/Requests\/sec:/ { print $2 }' "$f")
    p50=$(awk '$1 == "50%" && $2 == "in" { print $3 * 1000; exit }' "$f")
    p99=$(awk '$1 == "99%" && $2 == "in" { print $3 * 1000; exit }' "$f")
    [[ -n $rps && -n $p50 && -n $p99 ]] || return 1
    printf '%s %s %s\n' "$rps" "$p50" "$p99"
}

# parse_ab FILE: prints "rps p50_ms p99_ms" (fallback when hey is missing).
parse_ab() {
    local f=$1 rps p50 p99
    if grep -Eq '^Non-2xx responses:' "$f"; then return 1; fi
    rps=$(awk '/^Requests per second:/ { print $4 }' "$f")
    p50=$(awk '$1 == "50%" { print $2; exit }' "$f")
    p99=$(awk '$1 == "99%" { print $2; exit }' "$f")
    [[ -n $rps && -n $p50 && -n $p99 ]] || return 1
    printf '%s %s %s\n' "$rps" "$p50" "$p99"
}

# ---------------------------------------------------------------------------------------------------
# Report

# The figures, in table order: id|label|unit|better(lo/hi)|left|right|target
# left/right are targets in the samples file (wharf, wharf-auth, distribution, nginx); target is
# "ratio>=X", "ratio<=X" (left/right of medians) or "abs<=X" (left's median), or empty.
figures() {
    local C=$BENCH_CONNECTIONS
    cat << EOF
ready_ms|Start → first 200 on /v2/|ms|lo|wharf|distribution|abs<=1000
rss_idle_mib|RSS idle (${BENCH_IDLE_SECS} s after start)|MiB|lo|wharf|distribution|abs<=128
rss_idle_after_mib|RSS idle (${BENCH_IDLE_SECS} s after the workloads)|MiB|lo|wharf|distribution|abs<=128
rss_peak_mib|RSS peak over the whole run (VmHWM)|MiB|lo|wharf|distribution|abs<=384
push_s|Push ${BENCH_IMAGE_MIB} MiB, 4 layers (skopeo), wall|s|lo|wharf|distribution|ratio<=0.8
push_cpu_s|Push: registry CPU|CPU-s|lo|wharf|distribution|ratio<=0.6
pull_s|Pull it (skopeo → fresh OCI dir), wall|s|lo|wharf|distribution|ratio<=1.0
pull_cpu_s|Pull: registry CPU|CPU-s|lo|wharf|distribution|
upload_s|Monolithic upload ${BENCH_BLOB_MIB} MiB blob (POST + PUT), wall|s|lo|wharf|distribution|
upload_cpu_s|Monolithic upload: registry CPU|CPU-s|lo|wharf|distribution|
blob_get_mbs|Blob GET ${BENCH_BLOB_MIB} MiB, 1 client|MB/s|hi|wharf|distribution|ratio>=1.0
blob_get_par_mbs|Blob GET ${BENCH_BLOB_MIB} MiB, ${BENCH_PARALLEL_GETS} in parallel (aggregate)|MB/s|hi|wharf|distribution|ratio>=1.0
mget_tag_c${C}_rps|Manifest GET by tag, ${C} conn (wrk)|req/s|hi|wharf|distribution|ratio>=10
mget_tag_c${C}_p50|  p50|ms|lo|wharf|distribution|
mget_tag_c${C}_p99|  p99|ms|lo|wharf|distribution|ratio<=0.2
mhead_tag_c${C}_rps|Manifest HEAD by tag, ${C} conn (${HEAD_TOOL})|req/s|hi|wharf|distribution|ratio>=10
mhead_tag_c${C}_p50|  p50|ms|lo|wharf|distribution|
mhead_tag_c${C}_p99|  p99|ms|lo|wharf|distribution|ratio<=0.2
mget_digest_c${C}_rps|Manifest GET by digest, ${C} conn (wrk)|req/s|hi|wharf|distribution|
mget_digest_c${C}_p50|  p50|ms|lo|wharf|distribution|
mget_digest_c${C}_p99|  p99|ms|lo|wharf|distribution|
mhead_digest_c${C}_rps|Manifest HEAD by digest, ${C} conn (${HEAD_TOOL})|req/s|hi|wharf|distribution|
mhead_digest_c${C}_p50|  p50|ms|lo|wharf|distribution|
mhead_digest_c${C}_p99|  p99|ms|lo|wharf|distribution|
mget_tag_c1_rps|Manifest GET by tag, 1 conn (wrk)|req/s|hi|wharf|distribution|
mget_tag_c1_p50|  p50|ms|lo|wharf|distribution|
mget_tag_c1_p99|  p99|ms|lo|wharf|distribution|
mhead_tag_c1_rps|Manifest HEAD by tag, 1 conn (${HEAD_TOOL})|req/s|hi|wharf|distribution|
mhead_tag_c1_p50|  p50|ms|lo|wharf|distribution|
mhead_tag_c1_p99|  p99|ms|lo|wharf|distribution|
mget_digest_c1_rps|Manifest GET by digest, 1 conn (wrk)|req/s|hi|wharf|distribution|
mget_digest_c1_p50|  p50|ms|lo|wharf|distribution|
mget_digest_c1_p99|  p99|ms|lo|wharf|distribution|
mhead_digest_c1_rps|Manifest HEAD by digest, 1 conn (${HEAD_TOOL})|req/s|hi|wharf|distribution|
mhead_digest_c1_p50|  p50|ms|lo|wharf|distribution|
mhead_digest_c1_p99|  p99|ms|lo|wharf|distribution|
mget_many_c${C}_rps|Manifest GET, ${BENCH_MANY_TAGS} tags over ${BENCH_MANY_REPOS} repositories in turn, ${C} conn (wrk)|req/s|hi|wharf|distribution|
mget_many_c${C}_p50|  p50|ms|lo|wharf|distribution|
mget_many_c${C}_p99|  p99|ms|lo|wharf|distribution|
mget_many_c1_rps|Manifest GET, ${BENCH_MANY_TAGS} tags over ${BENCH_MANY_REPOS} repositories in turn, 1 conn (wrk)|req/s|hi|wharf|distribution|
mget_many_c1_p50|  p50|ms|lo|wharf|distribution|
mget_many_c1_p99|  p99|ms|lo|wharf|distribution|
mixed_mget_c${C}_rps|The same GETs, ${C} conn, while pushes run (mixed)|req/s|hi|wharf|distribution|
mixed_mget_c${C}_p50|  p50|ms|lo|wharf|distribution|
mixed_mget_c${C}_p99|  p99|ms|lo|wharf|distribution|
mixed_push_per_s|  pushes completed meanwhile (4 KiB layer + manifest, one after the other)|push/s|hi|wharf|distribution|
auth_mget_tag_c${C}_rps|Manifest GET by tag, ${C} conn: Wharf **with ECR token** vs Distribution anonymous|req/s|hi|wharf-auth|distribution|
auth_mget_tag_c${C}_p50|  p50|ms|lo|wharf-auth|distribution|
auth_mget_tag_c${C}_p99|  p99|ms|lo|wharf-auth|distribution|
tags_small_create_s|Create ${BENCH_TAGS_SMALL} tags (${BENCH_FILL_PARALLEL} parallel PUTs)|s|lo|wharf|distribution|
tags_small_page_ms|tags/list, ${BENCH_TAGS_SMALL} tags: first page (n=${BENCH_PAGE_SIZE})|ms|lo|wharf|distribution|
tags_small_walk_ms|tags/list, ${BENCH_TAGS_SMALL} tags: full paginated walk|ms|lo|wharf|distribution|
tags_large_create_s|Create ${BENCH_TAGS_LARGE} tags (${BENCH_FILL_PARALLEL} parallel PUTs)|s|lo|wharf|distribution|
tags_large_page_ms|tags/list, ${BENCH_TAGS_LARGE} tags: first page (n=${BENCH_PAGE_SIZE})|ms|lo|wharf|distribution|
tags_large_walk_ms|tags/list, ${BENCH_TAGS_LARGE} tags: full paginated walk|ms|lo|wharf|distribution|ratio<=0.1
catalog_small_create_s|Create repositories up to ${BENCH_REPOS_SMALL} (mount + PUT each)|s|lo|wharf|distribution|
catalog_small_page_ms|_catalog, ${BENCH_REPOS_SMALL} repositories: first page (n=${BENCH_PAGE_SIZE})|ms|lo|wharf|distribution|
catalog_small_walk_ms|_catalog, ${BENCH_REPOS_SMALL} repositories: full paginated walk|ms|lo|wharf|distribution|
catalog_large_create_s|Create repositories up to ${BENCH_REPOS_LARGE} (mount + PUT each)|s|lo|wharf|distribution|
catalog_large_page_ms|_catalog, ${BENCH_REPOS_LARGE} repositories: first page (n=${BENCH_PAGE_SIZE})|ms|lo|wharf|distribution|
catalog_large_walk_ms|_catalog, ${BENCH_REPOS_LARGE} repositories: full paginated walk|ms|lo|wharf|distribution|ratio<=0.1
EOF
}

# Rows comparing with nginx (the practical limit of serving a file over loopback).
nginx_figures() {
    cat << EOF
blob_get_mbs|Blob GET ${BENCH_BLOB_MIB} MiB, 1 client|MB/s|hi|wharf|nginx|ratio>=0.9
blob_get_par_mbs|Blob GET ${BENCH_BLOB_MIB} MiB, ${BENCH_PARALLEL_GETS} in parallel (aggregate)|MB/s|hi|wharf|nginx|ratio>=0.9
blob_get_mbs|Blob GET ${BENCH_BLOB_MIB} MiB, 1 client (Distribution)|MB/s|hi|distribution|nginx|
blob_get_par_mbs|Blob GET ${BENCH_BLOB_MIB} MiB, ${BENCH_PARALLEL_GETS} in parallel (Distribution)|MB/s|hi|distribution|nginx|
EOF
}

# Rows comparing Wharf with itself (the cost of authentication).
auth_figures() {
    local C=$BENCH_CONNECTIONS
    cat << EOF
auth_mget_tag_c${C}_rps|Manifest GET by tag, ${C} conn: with ECR token vs anonymous|req/s|hi|wharf-auth|wharf|
auth_mget_tag_c${C}_p99|  p99|ms|lo|wharf-auth|wharf|
EOF
}

# table_rows LEFT_NAME RIGHT_NAME < figure lines: prints Markdown rows for figures with any data.
# An "auth_" prefix only keeps row ids apart: both sides are looked up without it.
table_rows() {
    awk -F'|' -v samples="$SAMPLES" '
        function fmt(v) {
            if (v == "") return "–"
            a = v < 0 ? -v : v
            if (a >= 1000) return sprintf("%.0f", v)
            if (a >= 100) return sprintf("%.0f", v)
            if (a >= 10) return sprintf("%.1f", v)
            if (a >= 1) return sprintf("%.2f", v)
            return sprintf("%.3g", v)
        }
        function stats(target, fig,    n, i, j, t, v) {
            n = 0
            for (i = 1; i <= nsamples; i++) if (st[i] == target && sf[i] == fig) v[++n] = sv[i] + 0
            if (n == 0) { med = ""; lo = ""; hi = ""; cnt = 0; return }
            for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
            med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            lo = v[1]; hi = v[n]; cnt = n
        }
        function cell() {
            if (med == "") return "–"
            if (cnt == 1) return "**" fmt(med) "**"
            return "**" fmt(med) "** (" fmt(lo) "–" fmt(hi) ")"
        }
        BEGIN {
            while ((getline line < samples) > 0) {
                split(line, p, "\t"); nsamples++; st[nsamples] = p[1]; sf[nsamples] = p[2]; sv[nsamples] = p[3]
            }
        }
        {
            id = $1; label = $2; unit = $3; left = $5; right = $6; target = $7
            rid = id; sub(/^auth_/, "", rid) # auth rows: the samples of wharf-auth carry the anonymous figure id
            stats(left, rid); lm = med; lc = cell()
            stats(right, rid); rm = med; rc = cell()
            if (lm == "" && (rm == "" || left == "wharf-auth")) next # not measured (skipped workload)
            ratio = (lm != "" && rm != "" && rm != 0) ? lm / rm : ""
            rs = ratio == "" ? "–" : sprintf("%.2f×", ratio)
            ok = ""
            if (target != "") {
                split(target, tp, /(<=|>=)/); kind = tp[1]; lim = tp[2] + 0
                val = (kind == "abs") ? lm : ratio
                if (val == "") ok = "–"
                else if (target ~ /<=/) ok = (val <= lim) ? "✓" : "✗"
                else ok = (val >= lim) ? "✓" : "✗"
                shown = target; sub(/^ratio/, "", shown); sub(/^abs/, "Wharf ", shown)
                gsub(/<=/, "≤ ", shown); gsub(/>=/, "≥ ", shown)
                if (kind == "ratio") shown = shown "×"
                ok = shown " " ok
            }
            printf "| %s | %s | %s | %s | %s | %s |\n", label, unit, lc, rc, rs, ok
        }'
}
