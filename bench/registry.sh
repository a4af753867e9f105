# shellcheck shell=bash
# bench/run's registry API helpers (curl) and the checks of what a timed transfer moved: sourced by
# bench/run; they read its knobs and globals (WORK, SEED, IMAGE, BLOB, ...) when called.

# Registry API helpers (curl). AUTH: extra curl arguments (-u AWS:token) for the authenticated Wharf.
AUTH=()

# upload_blob ADDR REPO FILE: POST + PUT ?digest= with the whole file (the monolithic upload); prints the status.
upload_blob() {
    local addr=$1 repo=$2 file=$3 loc sep digest
    digest=sha256:$(sha_of "$file")
    loc=$(curl -sS ${AUTH[@]+"${AUTH[@]}"} -D - -o /dev/null -X POST "http://$addr/v2/$repo/blobs/uploads/" |
        tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
    [[ -n $loc ]] || return 1
    [[ $loc == http* ]] || loc=http://$addr$loc
    sep='?'
    [[ $loc == *\?* ]] && sep='&'
    curl -sS ${AUTH[@]+"${AUTH[@]}"} -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
        -T "$file" "$loc${sep}digest=$digest"
}

# push_seed ADDR: the seed image as seed/img:v1.
push_seed() {
    local addr=$1 f code
    for f in "${SEED_BLOBS[@]}"; do
        code=$(upload_blob "$addr" seed/img "$f") || return 1
        [[ $code == 201 ]] || { log "seed blob upload: HTTP $code"; return 1; }
    done
    code=$(curl -sS ${AUTH[@]+"${AUTH[@]}"} -o /dev/null -w '%{http_code}' -X PUT -H "Content-Type: $OCI_MANIFEST" \
        --data-binary @"$SEED/manifest.json" "http://$addr/v2/seed/img/manifests/v1")
    [[ $code == 201 ]] || { log "seed manifest push: HTTP $code"; return 1; }
}

# mount_blobs ADDR REPO DIGEST...: cross-repository mounts from seed/img (each must answer 201).
mount_blobs() {
    local addr=$1 repo=$2 d code
    shift 2
    for d in "$@"; do
        code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "http://$addr/v2/$repo/blobs/uploads/?mount=$d&from=seed/img")
        [[ $code == 201 ]] || { log "mount $d into $repo: HTTP $code"; return 1; }
    done
}

# run_parallel CONFIG EXPECTED_STATUS [CURL_ARGS...]: one curl, BENCH_FILL_PARALLEL transfers at a time,
# over the transfers listed in CONFIG (curl -K); fails unless every transfer got EXPECTED_STATUS.
run_parallel() {
    local cfg=$1 want=$2 out
    shift 2
    out=$(curl -sS --no-progress-meter -Z --parallel-max "$BENCH_FILL_PARALLEL" "$@" -w '%{http_code}\n' -K "$cfg" 2>&1) || true
    local bad
    bad=$(printf '%s\n' "$out" | awk -v w="$want" '$0 != w { n++; if (n <= 5) s = s " " $0 } END { if (n) print n " unexpected:" s }')
    if [[ -n $bad ]]; then
        log "parallel requests: $bad"
        return 1
    fi
}

# page_latency URL: median time (ms) of BENCH_PAGE_REPS GETs over one keep-alive connection.
page_latency() {
    local url=$1 args=() i out
    for ((i = 0; i < BENCH_PAGE_REPS; i++)); do args+=(-o /dev/null "$url"); done
    out=$(curl -sS -w '%{http_code} %{time_total}\n' "${args[@]}")
    if printf '%s\n' "$out" | awk '$1 != 200 { bad = 1 } END { exit !bad }'; then
        log "page request failed: $(printf '%s\n' "$out" | sort | uniq -c | head -3)"
        return 1
    fi
    printf '%s\n' "$out" | awk '{ print $2 * 1000 }' | median
}

# walk ADDR FIRST_PATH JQ_KEY EXPECTED: follows Link: rel="next" to the end; prints "ms pages count".
# ms is the sum of the requests' times (curl's time_total): the server's share, not the script's.
walk() {
    local addr=$1 page_path=$2 key=$3 want=$4 hdr=$WORK/walk.hdr body=$WORK/walk.body names=$WORK/walk.names
    local total=0 pages=0 out code t next count
    : > "$names"
    while [[ -n $page_path ]]; do
        out=$(curl -sS -D "$hdr" -o "$body" -w '%{http_code} %{time_total}' "http://$addr$page_path")
        read -r code t <<< "$out"
        [[ $code == 200 ]] || { log "walk: HTTP $code for $page_path"; return 1; }
        total=$(awk -v a="$total" -v b="$t" 'BEGIN { printf "%.6f", a + b }')
        pages=$((pages + 1))
        jq -r ".$key // [] | .[]" "$body" >> "$names"
        next=$(tr -d '\r' < "$hdr" | awk 'tolower($1) == "link:" { sub(/^[^<]*</, ""); sub(/>.*$/, ""); print; exit }')
        next=${next#http://"$addr"}
        page_path=$next
        ((pages < 1000000)) || return 1
    done
    count=$(sort -u "$names" | wc -l)
    if ((count != want)); then
        log "walk: $count distinct entries, expected $want"
        return 1
    fi
    awk -v t="$total" -v p="$pages" -v c="$count" 'BEGIN { printf "%.1f %d %d\n", t * 1000, p, c }'
}

clear_blob_info_cache() { rm -f "${BLOB_INFO_CACHES[@]}"; }

# Timed blob GETs write their bodies here, to be hashed once the clock has stopped (hashing while
# receiving would measure SHA-256). tmpfs when it has room for the parallel GETs: the figures then
# include one memory copy per byte, no disk write. Sets SINK and SINK_FS.
prepare_sink() {
    local parent=$BENCH_SINK need=$(((BENCH_PARALLEL_GETS + 1) * BENCH_BLOB_MIB)) avail
    if [[ -z $parent ]]; then
        parent=$WORK
        avail=$(df -m --output=avail /dev/shm 2> /dev/null | tail -n 1)
        if [[ $(df --output=fstype /dev/shm 2> /dev/null | tail -n 1) == tmpfs ]] && ((${avail:-0} > need)); then
            parent=/dev/shm
        fi
    fi
    SINK=$(mktemp -d "$parent/wharf-bench-sink.XXXXXX")
    SINK_FS=$(df --output=fstype "$SINK" | tail -n 1)
}

# verify_file FILE DIGEST: the file's bytes hash to DIGEST (sha256:...).
verify_file() {
    local got
    got=sha256:$(sha_of "$1")
    [[ $got == "$2" ]] || { log "$1: sha256 $got, expected $2"; return 1; }
}

# verify_url URL DIGEST: GET URL (untimed) and hash the body.
verify_url() {
    local got
    got=sha256:$(curl -sS -f ${AUTH[@]+"${AUTH[@]}"} -H "$ACCEPT" "$1" | sha256sum | cut -d' ' -f1)
    [[ $got == "$2" ]] || { log "GET $1: sha256 $got, expected $2"; return 1; }
}

# verify_image ADDR REPO TAG: the registry serves the image's manifest and every blob with the bytes of
# the source layout (GET and sha256 of each: 1 GiB at the default size, untimed).
verify_image() {
    local addr=$1 base=http://$1/v2/$2 d
    verify_url "$base/manifests/$3" "$IMAGE_MANIFEST_DIGEST"
    for d in $(jq -r '.config.digest, .layers[].digest' "$IMAGE/blobs/sha256/${IMAGE_MANIFEST_DIGEST#sha256:}"); do
        verify_url "$base/blobs/$d" "$d"
    done
}
