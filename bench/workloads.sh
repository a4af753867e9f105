# shellcheck shell=bash
# bench/run's workloads, one function wl_<name> each (run by bench/run's step): sourced by bench/run;
# they read its knobs and globals (SRV_*, RUN, WORK, ...) when called and write samples.

# Workloads. Each runs in a subshell with errexit (see step); it reads SRV_*, writes samples. Every
# timed transfer is checked by digest, after the clock stops.

wl_push() {
    local t=$1 c0 c1 t0 t1 got
    clear_blob_info_cache
    sync
    c0=$(cpu_seconds "$SRV_PID")
    t0=$(now_ns)
    skopeo --policy "$WORK/policy.json" copy -q --preserve-digests --dest-tls-verify=false \
        "oci:$IMAGE:bench" "docker://$SRV_ADDR/bench/push-r$RUN:1"
    t1=$(now_ns)
    c1=$(cpu_seconds "$SRV_PID")
    got=$(curl -sS -I -H "$ACCEPT" "http://$SRV_ADDR/v2/bench/push-r$RUN/manifests/1" | tr -d '\r' |
        awk 'tolower($1) == "docker-content-digest:" { print $2 }')
    [[ $got == "$IMAGE_MANIFEST_DIGEST" ]] || { log "pushed manifest digest $got, expected $IMAGE_MANIFEST_DIGEST"; return 1; }
    verify_image "$SRV_ADDR" "bench/push-r$RUN" 1
    sample "$t" push_s "$(s_between "$t0" "$t1")"
    sample "$t" push_cpu_s "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')"
}

# verify_pulled DIR: the OCI layout skopeo wrote holds the source image: same manifest digest, and exactly
# the source's blobs, each hashing to its name.
verify_pulled() {
    local dir=$1 got want
    got=$(jq -r '.manifests[0].digest' "$dir/index.json")
    [[ $got == "$IMAGE_MANIFEST_DIGEST" ]] || { log "pulled manifest $got, expected $IMAGE_MANIFEST_DIGEST"; return 1; }
    want=$(ls "$IMAGE/blobs/sha256" | sort | xargs)
    got=$(ls "$dir/blobs/sha256" | sort | xargs)
    [[ $got == "$want" ]] || { log "pulled blobs: $got; expected $want"; return 1; }
    got=$(cd "$dir/blobs/sha256" && sha256sum -- * | awk '$1 != $2 { print $2 }')
    [[ -z $got ]] || { log "pulled blobs whose bytes do not hash to their names: $got"; return 1; }
}

wl_pull() {
    local t=$1 c0 c1 t0 t1 dest=$WORK/pull-$1-$RUN
    clear_blob_info_cache
    rm -rf "$dest"
    sync
    c0=$(cpu_seconds "$SRV_PID")
    t0=$(now_ns)
    skopeo --policy "$WORK/policy.json" copy -q --src-tls-verify=false \
        "docker://$SRV_ADDR/bench/push-r$RUN:1" "oci:$dest:1"
    t1=$(now_ns)
    c1=$(cpu_seconds "$SRV_PID")
    verify_pulled "$dest"
    rm -rf "$dest"
    sample "$t" pull_s "$(s_between "$t0" "$t1")"
    sample "$t" pull_cpu_s "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')"
}

wl_upload() {
    local t=$1 c0 c1 t0 t1 code
    sync
    c0=$(cpu_seconds "$SRV_PID")
    t0=$(now_ns)
    code=$(upload_blob "$SRV_ADDR" bench/blob "$BLOB")
    t1=$(now_ns)
    c1=$(cpu_seconds "$SRV_PID")
    [[ $code == 201 ]] || { log "monolithic upload: HTTP $code"; return 1; }
    verify_url "http://$SRV_ADDR/v2/bench/blob/blobs/$BLOB_DIGEST" "$BLOB_DIGEST"
    sample "$t" upload_s "$(s_between "$t0" "$t1")"
    sample "$t" upload_cpu_s "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')"
}

# per_request TARGET FIGURE WRK_OUTPUT CPU0 XACT0: the server's CPU per request of the load (and, on the
# cluster target, PostgreSQL's transactions per request: 0 means every answer came from the read cache).
per_request() {
    local t=$1 fig=$2 requests c1 x1
    c1=$(cpu_seconds "$SRV_PID")
    requests=$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$3")
    [[ ${requests:-0} -gt 0 ]] || return 0
    sample "$t" "${fig}_cpu_us" "$(awk -v a="$4" -v b="$c1" -v n="$requests" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')"
    [[ -z $5 ]] || { x1=$(db_xacts); sample "$t" "${fig}_db_xact" "$(awk -v a="$5" -v b="$x1" -v n="$requests" 'BEGIN { printf "%.4f", (b - a - 1) / n }')"; }
}

# blob_gets TARGET URL: single GET (BENCH_GET_REPS, median) and BENCH_PARALLEL_GETS at once (same).
# Each body goes to a file in $SINK and is hashed after the timing.
blob_gets() {
    local t=$1 url=$2 i r out code size secs singles=() pars=() t0 t1 pids f=$SINK/get c0
    curl -sS -o /dev/null "$url" # warm-up (page cache, JIT)
    c0=$(cpu_seconds "$SRV_PID" 2> /dev/null || echo)
    for ((r = 0; r < BENCH_GET_REPS; r++)); do
        rm -f "$f"
        out=$(curl -sS -o "$f" -w '%{http_code} %{size_download} %{time_total}' "$url")
        read -r code size secs <<< "$out"
        [[ $code == 200 && $size == "$BLOB_SIZE" ]] || { log "blob GET: HTTP $code, $size bytes"; return 1; }
        verify_file "$f" "$BLOB_DIGEST"
        singles+=("$(awk -v s="$size" -v t="$secs" 'BEGIN { printf "%.1f", s / t / 1e6 }')")
    done
    rm -f "$f"
    sample "$t" blob_get_mbs "$(printf '%s\n' "${singles[@]}" | median)"
    [[ -z $c0 ]] || sample "$t" blob_get_cpu_s_gib "$(per_gib "$c0" "$(cpu_seconds "$SRV_PID")" "$BENCH_GET_REPS")"
    for ((r = 0; r < BENCH_GET_REPS; r++)); do
        pids=()
        rm -f "$f".*
        t0=$(now_ns)
        for ((i = 0; i < BENCH_PARALLEL_GETS; i++)); do
            curl -sS -o "$f.$i" -w '%{http_code} %{size_download}' "$url" > "$WORK/par.$i" &
            pids+=($!)
        done
        for i in "${pids[@]}"; do wait "$i"; done
        t1=$(now_ns)
        for ((i = 0; i < BENCH_PARALLEL_GETS; i++)); do
            [[ $(< "$WORK/par.$i") == "200 $BLOB_SIZE" ]] || { log "parallel blob GET: $(< "$WORK/par.$i")"; return 1; }
            verify_file "$f.$i" "$BLOB_DIGEST"
        done
        pars+=("$(awk -v s="$BLOB_SIZE" -v n="$BENCH_PARALLEL_GETS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", s * n / ((b - a) / 1e9) / 1e6 }')")
    done
    rm -f "$f".*
    sample "$t" blob_get_par_mbs "$(printf '%s\n' "${pars[@]}" | median)"
}

wl_blob() {
    local t=$1 code
    if ! wanted upload; then # the blob must be there
        code=$(upload_blob "$SRV_ADDR" bench/blob "$BLOB")
        [[ $code == 201 ]] || return 1
    fi
    blob_gets "$t" "http://$SRV_ADDR/v2/bench/blob/blobs/$BLOB_DIGEST"
    [[ $t != cluster ]] || blob_redirect_gets
}

# load TARGET FIGURE_PREFIX METHOD CONNECTIONS URL [HEADER...]: one measurement with wrk (GET) or hey/ab
# (HEAD). For GET, URL is the registry's base (http://ADDR) and $LOAD_LIST the list of manifests wrk
# cycles through, every response checked by bench/manifests.lua; HEAD has no body: its status is checked.
load() {
    local t=$1 fig=$2 method=$3 conns=$4 url=$5 res threads f
    shift 5
    local headers=(-H "$ACCEPT")
    local h
    for h in "$@"; do headers+=(-H "$h"); done
    f=$WORK/logs/$t-$RUN-$fig.txt
    if [[ $method == GET ]]; then
        threads=$((BENCH_WRK_THREADS < conns ? BENCH_WRK_THREADS : conns))
        local c0 x0
        x0=$(db_xacts)
        c0=$(cpu_seconds "$SRV_PID")
        wrk -t"$threads" -c"$conns" -d"${BENCH_DURATION}s" --latency "${headers[@]}" \
            -s "$BENCH_DIR/manifests.lua" "$url" -- "$LOAD_LIST" > "$f" 2>&1
        per_request "$t" "$fig" "$f" "$c0" "$x0"
        res=$(parse_wrk "$f") || { cat "$f" >&2; return 1; }
    elif [[ $HEAD_TOOL == hey ]]; then
        hey -z "${BENCH_DURATION}s" -c "$conns" -m HEAD "${headers[@]}" "$url" > "$f" 2>&1
        res=$(parse_hey "$f") || { tail -n 20 "$f" >&2; return 1; }
    else
        ab -q -k -i -t "$BENCH_DURATION" -n 100000000 -c "$conns" "${headers[@]}" "$url" > "$f" 2>&1 || true
        res=$(parse_ab "$f") || { tail -n 20 "$f" >&2; return 1; }
    fi
    local rps p50 p99
    read -r rps p50 p99 <<< "$res"
    sample "$t" "${fig}_rps" "$rps"
    sample "$t" "${fig}_p50" "$p50"
    sample "$t" "${fig}_p99" "$p99"
}

# list_file NAME PATH DIGEST FILE: a one-URL list for manifests.lua; prints its path.
list_file() {
    printf '%s %s %s\n' "$2" "$3" "$4" > "$WORK/$1.list"
    printf '%s\n' "$WORK/$1.list"
}

wl_manifest() {
    local t=$1 C=$BENCH_CONNECTIONS base=http://$SRV_ADDR/v2/seed/img/manifests code
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H "$ACCEPT" "$base/v1")
    [[ $code == 200 ]] || { log "manifest GET: HTTP $code"; return 1; }
    wrk -t1 -c"$C" -d"${BENCH_WARMUP}s" -H "$ACCEPT" "$base/v1" > /dev/null 2>&1 # warm-up
    local conns ref url
    for conns in "$C" 1; do
        for ref in tag digest; do
            url=$base/v1
            [[ $ref == digest ]] && url=$base/$SEED_DIGEST
            LOAD_LIST=$(list_file "seed-$ref" "${url#http://"$SRV_ADDR"}" "$SEED_DIGEST" "$SEED/manifest.json")
            load "$t" "mget_${ref}_c$conns" GET "$conns" "http://$SRV_ADDR"
            load "$t" "mhead_${ref}_c$conns" HEAD "$conns" "$url"
        done
    done
}

# many_manifests: BENCH_MANY_TAGS distinct manifests (the seed's with an annotation), their digests, and
# the list manifests.lua cycles through: tag k in repository many/r(k mod BENCH_MANY_REPOS), so that
# consecutive requests go to other repositories and other manifests. Made once per benchmark.
many_manifests() {
    MANY=$WORK/many
    MANY_LIST=$MANY/urls.list
    [[ -f $MANY_LIST ]] && return 0
    mkdir -p "$MANY"
    awk -v n="$BENCH_MANY_TAGS" -v dir="$MANY" '{ m = m $0 } END {
        sub(/}$/, "", m)
        for (k = 0; k < n; k++) printf "%s,\"annotations\":{\"bench.many\":\"%d\"}}", m, k > (dir "/m" k ".json") }' "$SEED/manifest.json"
    (cd "$MANY" && sha256sum m*.json) | awk -v r="$BENCH_MANY_REPOS" -v dir="$MANY" '{
        k = substr($2, 2) + 0; printf "%d /v2/many/r%d/manifests/t%d sha256:%s %s/%s\n", k, k % r, k, $1, dir, $2 }' |
        sort -n | cut -d' ' -f2- > "$MANY_LIST.tmp"
    (($(wc -l < "$MANY_LIST.tmp") == BENCH_MANY_TAGS)) || return 1
    mv "$MANY_LIST.tmp" "$MANY_LIST"
}

# fill_many ADDR: the BENCH_MANY_TAGS tags of many_manifests on this server (once per server).
fill_many() {
    local addr=$1 r d digests=() cfg=$WORK/many.cfg
    many_manifests
    [[ -f $SRV_DATA.many ]] && return 0
    for d in "${SEED_BLOBS[@]}"; do digests+=("sha256:$(sha_of "$d")"); done
    for ((r = 0; r < BENCH_MANY_REPOS; r++)); do mount_blobs "$addr" "many/r$r" "${digests[@]}"; done
    awk -v base="http://$addr" '{ printf "upload-file = \"%s\"\noutput = \"/dev/null\"\nurl = \"%s%s\"\n", $3, base, $1 }' \
        "$MANY_LIST" > "$cfg"
    run_parallel "$cfg" 201 -H "Content-Type: $OCI_MANIFEST"
    touch "$SRV_DATA.many"
}

# Manifest GETs over BENCH_MANY_TAGS tags in BENCH_MANY_REPOS repositories (a read cache cannot hold one
# hot entry): wrk cycles through them, every response checked.
wl_manifest_many() {
    local t=$1 C=$BENCH_CONNECTIONS conns
    fill_many "$SRV_ADDR"
    LOAD_LIST=$MANY_LIST
    wrk -t1 -c"$C" -d"${BENCH_WARMUP}s" -H "$ACCEPT" -s "$BENCH_DIR/manifests.lua" "http://$SRV_ADDR" -- "$LOAD_LIST" > /dev/null 2>&1
    for conns in "$C" 1; do load "$t" "mget_many_c$conns" GET "$conns" "http://$SRV_ADDR"; done
}

# push_loop ADDR STOPFILE OUT: pushes images (one new 4 KiB layer + a manifest over the seed's config,
# new tag w<N>, repositories many/r*) one after the other until STOPFILE exists; appends
# "repository tag digest" for each to OUT. Exits non-zero at the first push that is not acknowledged.
push_loop() {
    local addr=$1 stop=$2 out=$3 n=0 repo dir=$WORK/pushes code layer m
    mkdir -p "$dir"
    while [[ ! -e $stop ]]; do
        repo=many/r$((n % BENCH_MANY_REPOS))
        layer=$dir/layer$n
        m=$dir/m$n.json
        head -c 4096 /dev/urandom > "$layer"
        code=$(upload_blob "$addr" "$repo" "$layer")
        [[ $code == 201 ]] || { log "push $n: blob upload HTTP $code"; return 1; }
        printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":4096}]}' \
            "$OCI_MANIFEST" "$SEED_CONFIG_DESC" "$(sha_of "$layer")" > "$m"
        code=$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H "Content-Type: $OCI_MANIFEST" \
            --data-binary @"$m" "http://$addr/v2/$repo/manifests/w$n")
        [[ $code == 201 ]] || { log "push $n: manifest PUT HTTP $code"; return 1; }
        printf '%s w%d sha256:%s\n' "$repo" "$n" "$(sha_of "$m")" >> "$out"
        n=$((n + 1))
    done
}

# Manifest GETs as in wl_manifest_many while pushes run (each push is a write the registry commits and
# that invalidates what it may cache). Figures: the GETs, and the pushes completed meanwhile. Every push
# is checked afterwards: its tag serves the manifest that was pushed.
wl_mixed() {
    local t=$1 C=$BENCH_CONNECTIONS stop=$WORK/mixed.stop out=$WORK/mixed.pushes pid t0 t1 repo tag digest n
    fill_many "$SRV_ADDR"
    LOAD_LIST=$MANY_LIST
    rm -f "$stop" "$out"
    : > "$out"
    push_loop "$SRV_ADDR" "$stop" "$out" &
    pid=$!
    t0=$(now_ns)
    load "$t" "mixed_mget_c$C" GET "$C" "http://$SRV_ADDR"
    touch "$stop"
    wait "$pid" || { log "the pushes failed (see above)"; return 1; }
    t1=$(now_ns)
    n=$(wc -l < "$out")
    ((n > 0)) || { log "no push completed during the load"; return 1; }
    while read -r repo tag digest; do
        verify_url "http://$SRV_ADDR/v2/$repo/manifests/$tag" "$digest"
    done < "$out"
    sample "$t" mixed_push_per_s "$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / ((b - a) / 1e9) }')"
}

# The authenticated variant (Wharf with WHARF_AUTH_ENABLED=true): token from Debian's aws CLI v2 with
# the root credentials Wharf wrote, then the manifest GET by tag with Authorization: Basic AWS:<token>.
wl_auth() {
    local token basic code
    token=$(AWS_SHARED_CREDENTIALS_FILE="$SRV_DATA/root-credentials" AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        /usr/bin/aws --endpoint-url "http://$SRV_ADDR" ecr get-login-password)
    [[ -n $token ]] || return 1
    basic=$(printf 'AWS:%s' "$token" | base64 -w0)
    code=$(curl -sS -o /dev/null -w '%{http_code}' "http://$SRV_ADDR/v2/")
    [[ $code == 401 ]] || { log "anonymous /v2/ answered $code, expected 401"; return 1; }
    AUTH=(-H "Authorization: Basic $basic")
    push_seed "$SRV_ADDR"
    local url=http://$SRV_ADDR/v2/seed/img/manifests/v1
    code=$(curl -sS -o /dev/null -w '%{http_code}' "${AUTH[@]}" -H "$ACCEPT" "$url")
    [[ $code == 200 ]] || { log "authenticated manifest GET: HTTP $code"; return 1; }
    wrk -t1 -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP}s" -H "$ACCEPT" -H "Authorization: Basic $basic" "$url" > /dev/null 2>&1
    LOAD_LIST=$(list_file seed-auth /v2/seed/img/manifests/v1 "$SEED_DIGEST" "$SEED/manifest.json")
    load wharf-auth "mget_tag_c$BENCH_CONNECTIONS" GET "$BENCH_CONNECTIONS" "http://$SRV_ADDR" "Authorization: Basic $basic"
}

# fill_tags ADDR REPO N: N tags, BENCH_TAGS_PER_MANIFEST per distinct manifest, BENCH_FILL_PARALLEL PUTs at a time.
fill_tags() {
    local addr=$1 repo=$2 n=$3 cfg=$WORK/tags.cfg d digests=()
    for d in "${SEED_BLOBS[@]}"; do digests+=("sha256:$(sha_of "$d")"); done
    mount_blobs "$addr" "$repo" "${digests[@]}"
    awk -v n="$n" -v per="$BENCH_TAGS_PER_MANIFEST" -v seed="$SEED" -v base="http://$addr/v2/$repo/manifests/" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "upload-file = \"%s/m%d.json\"\noutput = \"/dev/null\"\nurl = \"%st%07d\"\n", seed, int((i - 1) / per), base, i }' > "$cfg"
    run_parallel "$cfg" 201 -H "Content-Type: $OCI_MANIFEST"
}

wl_tags() {
    local t=$1 size n repo t0 t1 res ms pages
    for size in small large; do
        n=BENCH_TAGS_${size^^}
        n=${!n}
        repo=bench/tags-$size
        t0=$(now_ns)
        fill_tags "$SRV_ADDR" "$repo" "$n"
        t1=$(now_ns)
        sample "$t" "tags_${size}_create_s" "$(s_between "$t0" "$t1")"
        sample "$t" "tags_${size}_page_ms" "$(page_latency "http://$SRV_ADDR/v2/$repo/tags/list?n=$BENCH_PAGE_SIZE")"
        res=$(walk "$SRV_ADDR" "/v2/$repo/tags/list?n=$BENCH_PAGE_SIZE" tags "$n")
        read -r ms pages _ <<< "$res"
        sample "$t" "tags_${size}_walk_ms" "$ms"
        sample "$t" "tags_${size}_walk_pages" "$pages"
    done
}

# create_repos ADDR FROM TO: repositories cat/rFROM..cat/rTO, each one mount of the seed's config + one PUT.
create_repos() {
    local addr=$1 from=$2 to=$3 cfg=$WORK/repos.cfg config
    config=sha256:$(sha_of "$SEED/config.json")
    awk -v a="$from" -v b="$to" -v base="http://$addr/v2/cat/r" -v q="/blobs/uploads/?mount=$config&from=seed/img" 'BEGIN {
        for (i = a; i <= b; i++) printf "output = \"/dev/null\"\nurl = \"%s%07d%s\"\n", base, i, q }' > "$cfg"
    run_parallel "$cfg" 201 -X POST
    awk -v a="$from" -v b="$to" -v f="$SEED/mini.json" -v base="http://$addr/v2/cat/r" 'BEGIN {
        for (i = a; i <= b; i++) printf "upload-file = \"%s\"\noutput = \"/dev/null\"\nurl = \"%s%07d/manifests/latest\"\n", f, base, i }' > "$cfg"
    run_parallel "$cfg" 201 -H "Content-Type: $OCI_MANIFEST"
}

wl_catalog() {
    local t=$1 existing res ms pages t0 t1 small_s
    # repositories already there (seed, pushes, tag repositories) count toward the totals
    walk_count "$SRV_ADDR"
    existing=$(sort -u "$WORK/walk.names" | wc -l)
    ((existing < BENCH_REPOS_SMALL)) || { log "already $existing repositories"; return 1; }
    t0=$(now_ns)
    create_repos "$SRV_ADDR" 1 $((BENCH_REPOS_SMALL - existing))
    t1=$(now_ns)
    small_s=$(s_between "$t0" "$t1")
    sample "$t" catalog_small_create_s "$small_s"
    sample "$t" catalog_small_page_ms "$(page_latency "http://$SRV_ADDR/v2/_catalog?n=$BENCH_PAGE_SIZE")"
    res=$(walk "$SRV_ADDR" "/v2/_catalog?n=$BENCH_PAGE_SIZE" repositories "$BENCH_REPOS_SMALL")
    read -r ms pages _ <<< "$res"
    sample "$t" catalog_small_walk_ms "$ms"
    t0=$(now_ns)
    create_repos "$SRV_ADDR" $((BENCH_REPOS_SMALL - existing + 1)) $((BENCH_REPOS_LARGE - existing))
    t1=$(now_ns)
    sample "$t" catalog_large_create_s "$(awk -v s="$small_s" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", s + (b - a) / 1e9 }')"
    sample "$t" catalog_large_page_ms "$(page_latency "http://$SRV_ADDR/v2/_catalog?n=$BENCH_PAGE_SIZE")"
    res=$(walk "$SRV_ADDR" "/v2/_catalog?n=$BENCH_PAGE_SIZE" repositories "$BENCH_REPOS_LARGE")
    read -r ms pages _ <<< "$res"
    sample "$t" catalog_large_walk_ms "$ms"
}

# walk_count ADDR: walks the catalog without an expected count (fills walk.names).
walk_count() {
    local addr=$1 page_path="/v2/_catalog?n=$BENCH_PAGE_SIZE" hdr=$WORK/walk.hdr body=$WORK/walk.body next
    : > "$WORK/walk.names"
    while [[ -n $page_path ]]; do
        curl -sS -D "$hdr" -o "$body" "http://$addr$page_path"
        jq -r '.repositories // [] | .[]' "$body" >> "$WORK/walk.names"
        next=$(tr -d '\r' < "$hdr" | awk 'tolower($1) == "link:" { sub(/^[^<]*</, ""); sub(/>.*$/, ""); print; exit }')
        page_path=${next#http://"$addr"}
    done
}
