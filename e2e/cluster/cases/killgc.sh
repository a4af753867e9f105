# shellcheck shell=bash
# killgc: a garbage-collection run (gc.grace-period 0, paced at gc.max-deletions-per-second) over a few
# hundred unreferenced blobs; the node running it is killed with -9 in the middle; another node takes the
# job over once the lease (jobs.lease-duration, PT5S here) has expired - never before - and finishes it.
# Then every one of those blobs is gone from every node and from the bucket, and referenced images still pull.

GC_BLOBS=${CLUSTER_GC_BLOBS:-80}

gc_job() { at_curl "$LB" /wharf/v1/jobs/gc -f; }
# seconds since the epoch of an ISO-8601 instant (fraction dropped)
iso_s() { jq -rn --arg t "$1" '$t | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601'; }

killgc_garbage() {
    local dir=$E2E_WORK/gc-blobs repo=cluster/r$ROUND/garbage i hex
    rm -rf "$dir"; mkdir -p "$dir"
    # an image whose blobs are referenced: the collection must leave them
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:arm64" "docker://$LB/cluster/r$ROUND/gc-keep:1"
    for ((i = 0; i < GC_BLOBS; i++)); do head -c 3000 /dev/urandom > "$dir/$i"; done
    export WHARF_E2E_TOKEN LB repo
    # eight at a time, monolithic POST ?digest= through the LB
    find "$dir" -type f -print0 | xargs -0 -P 8 -n 1 sh -c '
        d=sha256:$(sha256sum < "$1" | cut -d" " -f1)
        code=$(curl -sS --max-time 60 -u "AWS:$WHARF_E2E_TOKEN" -o /dev/null -w "%{http_code}" -X POST \
            -H "Content-Type: application/octet-stream" --data-binary "@$1" "http://$LB/v2/$repo/blobs/uploads/?digest=$d")
        [ "$code" = 201 ] || { echo "upload of $d: $code" >&2; exit 1; }
        echo "$d"' _ > "$E2E_WORK/gc.digests"
    assert_eq "$GC_BLOBS" "$(sort -u "$E2E_WORK/gc.digests" | wc -l)" "unreferenced blobs uploaded"
    s3_keys > "$E2E_WORK/gc.keys.before"
    for hex in $(head -n 5 "$E2E_WORK/gc.digests" | sed 's/^sha256://'); do
        grep -q "$hex" "$E2E_WORK/gc.keys.before" || die "blob $hex is not in the bucket"
    done
    echo "ok: the blobs are objects in the bucket ($(wc -l < "$E2E_WORK/gc.keys.before") objects)"
}

# Main shell (it kills a node): no assertions that exit, only return codes.
killgc_kill() {
    local i job state owner deleted pid victim
    at_curl "$LB" /wharf/v1/jobs/gc/run -f -X POST > /dev/null
    for ((i = 0; i < 200; i++)); do
        job=$(gc_job)
        state=$(jq -r .state <<< "$job")
        deleted=$(jq -r '.counters["blobs-deleted"] // 0' <<< "$job")
        if [ "$state" = running ] && [ "$deleted" -ge 10 ]; then break; fi
        if [ "$state" != running ] && [ "$(jq -r '.lastRun.result // ""' <<< "$job")" != "" ] \
            && [ "$(jq -r .runRequestedAt <<< "$job")" = null ] && [ "$deleted" -gt 0 ]; then
            echo "the gc run ended before it could be killed: $job" >&2; return 1
        fi
        sleep 0.1
    done
    echo "gc job: $job"
    [ "$state" = running ] || { echo "the gc job never ran with 10 blobs deleted" >&2; return 1; }
    [ "$deleted" -lt $((GC_BLOBS - 20)) ] || { echo "too late to kill: $deleted deleted" >&2; return 1; }
    owner=$(jq -r .owner <<< "$job")
    pid=$(cut -d: -f2 <<< "$owner")
    victim=$(node_of_pid "$pid")
    [ -n "$victim" ] || { echo "owner $owner is none of the nodes (pids ${NODE_PID[*]})" >&2; return 1; }
    kill_node "$victim"
    echo "$victim" > "$E2E_WORK/gc.victim"
    echo "$owner" > "$E2E_WORK/gc.owner"
    date +%s > "$E2E_WORK/gc.killed-at"
    iso_s "$(jq -r .leaseExpiresAt <<< "$job")" > "$E2E_WORK/gc.lease-expires"
    echo "killed node $victim (owner $owner) with $deleted of $GC_BLOBS blobs deleted"
}

killgc_takeover() {
    local i job state owner victim_owner killed_at lease started took="" waited
    victim_owner=$(cat "$E2E_WORK/gc.owner")
    killed_at=$(cat "$E2E_WORK/gc.killed-at")
    lease=$(cat "$E2E_WORK/gc.lease-expires")
    for ((i = 0; i < 120; i++)); do
        job=$(gc_job)
        state=$(jq -r .state <<< "$job")
        owner=$(jq -r .owner <<< "$job")
        if [ "$state" = running ] && [ "$owner" != "$victim_owner" ]; then took=$owner; fi
        started=$(jq -r '.lastRun.startedAt // ""' <<< "$job")
        if [ "$state" = idle ] && [ -n "$started" ] && [ "$(iso_s "$started")" -ge "$killed_at" ]; then break; fi
        sleep 0.5
    done
    echo "gc job: $job"
    assert_eq idle "$state" "state of the gc job within 60 s of the kill"
    assert_eq ok "$(jq -r .lastRun.result <<< "$job")" "result of the run that took over"
    [ -n "$started" ] && [ "$(iso_s "$started")" -ge "$lease" ] \
        || die "the new run started at $started, before the killed node's lease expired ($(date -u -d "@$lease" +%T))"
    waited=$(( $(iso_s "$started") - killed_at ))
    echo "taken over ${waited}s after the kill (lease $CLUSTER_LEASE)${took:+ by $took}"
    [ "$waited" -le 20 ] || die "taken over only ${waited}s after the kill"
    [ -z "$took" ] || [ "$took" != "$victim_owner" ] || die "the dead node's owner id ran the job again"
}

killgc_garbage_gone() {
    local d code i n=0 hex out=$E2E_WORK/back/r$ROUND-gc-keep
    for d in $(cat "$E2E_WORK/gc.digests"); do
        i=$(( n % CLUSTER_NODES + 1 ))
        code=$(at_curl "$(node "$i")" "/v2/cluster/r$ROUND/garbage/blobs/$d" -I -o /dev/null -w '%{http_code}')
        [ "$code" = 404 ] || die "blob $d: HEAD on node $i answered $code after gc"
        n=$((n + 1))
    done
    echo "ok: $n blobs answer 404 (spread over the nodes)"
    s3_keys > "$E2E_WORK/gc.keys.after"
    for hex in $(sed 's/^sha256://' "$E2E_WORK/gc.digests"); do
        if grep -q "$hex" "$E2E_WORK/gc.keys.after"; then die "blob $hex is still in the bucket"; fi
    done
    echo "ok: none of them is left in the bucket ($(wc -l < "$E2E_WORK/gc.keys.after") objects remain)"
    rm -rf "$out"; mkdir -p "$E2E_WORK/back"
    sk_copy --preserve-digests "docker://$LB/cluster/r$ROUND/gc-keep:1" "oci:$out:arm64"
    assert_layouts_identical "$E2E_IMAGES/tiny" arm64 "$out" arm64
}

killgc_cli() {
    local out=$E2E_WORK/gc-jobs-list.txt
    mkdir -p "$E2E_WORK/cli-data"
    WHARF_CONFIG=$CLUSTER_CONFIG to "$REPO/bin/wharf" jobs list --data "$E2E_WORK/cli-data" | tee "$out"
    assert_contains "$out" '^gc +idle +[^ ]+ +[^ ]+ +ok ' "wharf jobs list shows the gc job idle, its last run ok"
}

killgc_restart() { start_node "$(cat "$E2E_WORK/gc.victim")"; }

KILLGC_CHECKS=6
run_killgc() {
    check "killgc: an image pushed, $GC_BLOBS unreferenced blobs uploaded through the LB, stored in the bucket" killgc_garbage
    check_main "killgc: gc requested through the LB (POST /wharf/v1/jobs/gc/run); its node killed (-9) mid-run" killgc_kill
    check "killgc: another node takes the job over after the lease ($CLUSTER_LEASE), not before, and finishes ok" killgc_takeover
    check_main "killgc: the killed node restarted on an empty data directory" killgc_restart
    check "killgc: the garbage is gone (404 on every node, no object in the bucket); referenced images still pull" killgc_garbage_gone
    check "killgc: wharf jobs list (CLI, the cluster's config) shows the finished run" killgc_cli
}
