# shellcheck shell=bash
# chunks: one upload session driven with curl across the nodes directly (POST on one node, each PATCH on
# another, PUT on a third): any node continues any upload; offsets are shared compare-and-set, so a
# chunk at a stale offset is refused on any node and two nodes racing for one offset cannot both win.

CH_MIB=$((1024 * 1024))

# upload_req HOST:PORT METHOD LOCATION OUT_HEADERS CURL-ARGS...: prints the status; headers in OUT_HEADERS
upload_req() {
    local at=$1 method=$2 loc=$3 h=$4; shift 4
    at_curl "$at" "$loc" -X "$method" -D "$h" -o "$h.body" -w '%{http_code}' "$@"
}
header_of() { tr -d '\r' < "$1" | sed -n "s/^$2: //Ip" | tail -n 1; }
file_part() { dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" bs=1M status=none; } # FILE FROM LEN
with_query() { case $1 in *\?*) echo "$1&$2" ;; *) echo "$1?$2" ;; esac; }

# Starts an upload session on HOST:PORT for REPO; sets CH_LOC and CH_MIN (OCI-Chunk-Min-Length or 0).
ch_start() { # HOST:PORT REPO
    local h=$E2E_WORK/ch-post code
    code=$(upload_req "$1" POST "/v2/$2/blobs/uploads/" "$h" -H 'Content-Length: 0')
    assert_eq 202 "$code" "POST /blobs/uploads/ on $1"
    CH_LOC=$(header_of "$h" Location)
    CH_MIN=$(header_of "$h" OCI-Chunk-Min-Length)
    CH_MIN=${CH_MIN:-0}
    assert_nonempty "$CH_LOC" "Location of the new session"
}

# PATCH bytes [FROM, FROM+LEN) of FILE to the session on HOST:PORT; asserts 202 and the new Range.
ch_patch() { # HOST:PORT FILE FROM LEN
    local h=$E2E_WORK/ch-patch code end=$(($3 + $4 - 1))
    file_part "$2" "$3" "$4" > "$E2E_WORK/ch-chunk"
    code=$(upload_req "$1" PATCH "$CH_LOC" "$h" -H 'Content-Type: application/octet-stream' \
        -H "Content-Range: $3-$end" --data-binary "@$E2E_WORK/ch-chunk")
    assert_eq 202 "$code" "PATCH $3-$end on $1"
    assert_eq "0-$end" "$(header_of "$h" Range)" "Range after the chunk on $1"
    CH_LOC=$(header_of "$h" Location)
}

# PUT ?digest= on HOST:PORT (with the rest of FILE from FROM as its body when FROM is given): 201.
ch_put() { # HOST:PORT FILE [FROM]
    local h=$E2E_WORK/ch-put code d body=()
    d=$(sha256_of "$2")
    if [ -n "${3:-}" ]; then
        tail -c +"$(($3 + 1))" "$2" > "$E2E_WORK/ch-last"
        body=(-H 'Content-Type: application/octet-stream' --data-binary "@$E2E_WORK/ch-last")
    else
        body=(-H 'Content-Length: 0')
    fi
    code=$(upload_req "$1" PUT "$(with_query "$CH_LOC" "digest=$d")" "$h" "${body[@]}")
    cat "$h.body"
    assert_eq 201 "$code" "PUT ?digest= on $1"
    assert_eq "$d" "$(header_of "$h" Docker-Content-Digest)" "Docker-Content-Digest of the PUT"
}

ch_big_enough() { # SIZE: SIZE, raised to the server's minimum chunk length
    if [ "$1" -lt "$CH_MIN" ]; then echo "$CH_MIN"; else echo "$1"; fi
}

chunks_three_nodes() {
    local repo f=$E2E_WORK/ch-a.bin c1 d i h=$E2E_WORK/ch-status
    repo=cluster/r$ROUND/chunks
    ch_start "$(node 1)" "$repo"
    c1=$(ch_big_enough $((6 * CH_MIB)))
    head -c $((c1 + 3 * CH_MIB + 12345)) /dev/urandom > "$f"
    ch_patch "$(node 2)" "$f" 0 "$c1"
    # node 3 never saw the session's first chunk: it reports the offset node 2 recorded
    assert_eq 204 "$(upload_req "$(node 3)" GET "$CH_LOC" "$h")" "GET upload status on node 3"
    assert_eq "0-$((c1 - 1))" "$(header_of "$h" Range)" "Range seen by node 3"
    ch_patch "$(node 3)" "$f" "$c1" $(($(stat -c %s "$f") - c1))
    ch_put "$(node 1)" "$f"
    d=$(sha256_of "$f")
    for ((i = 1; i <= CLUSTER_NODES; i++)); do assert_blob_at "$(node "$i")" "$repo" "$d"; done
}

chunks_last_in_put() {
    local repo f=$E2E_WORK/ch-b.bin c d
    repo=cluster/r$ROUND/chunks
    ch_start "$(node 3)" "$repo"
    c=$(ch_big_enough $((5 * CH_MIB)))
    head -c $((3 * c + 777)) /dev/urandom > "$f"
    ch_patch "$(node 2)" "$f" 0 "$c"
    ch_patch "$(node 3)" "$f" "$c" "$c"
    ch_patch "$(node 1)" "$f" $((2 * c)) "$c"
    ch_put "$(node 2)" "$f" $((3 * c))
    d=$(sha256_of "$f")
    assert_blob_at "$LB" "$repo" "$d"
    assert_eq "$(stat -c %s "$f")" "$(at_curl "$LB" "/v2/$repo/blobs/$d" -I | tr -d '\r' | sed -n 's/^content-length: //Ip')" \
        "Content-Length of HEAD through the LB"
}

# A chunk at a stale offset is refused on every node; two nodes racing for the same offset: one wins.
chunks_offsets_shared() {
    local repo f=$E2E_WORK/ch-c.bin c codes d i
    repo=cluster/r$ROUND/chunks
    ch_start "$(node 2)" "$repo"
    c=$(ch_big_enough $((5 * CH_MIB)))
    head -c $((2 * c + 99)) /dev/urandom > "$f"
    ch_patch "$(node 1)" "$f" 0 "$c"
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        assert_eq 416 "$(upload_req "$(node "$i")" PATCH "$CH_LOC" "$E2E_WORK/ch-stale" \
            -H 'Content-Type: application/octet-stream' -H "Content-Range: 0-$((c - 1))" \
            --data-binary "@$E2E_WORK/ch-chunk")" "a chunk at offset 0 again, on node $i"
        assert_contains "$E2E_WORK/ch-stale.body" RANGE_INVALID "OCI error code"
    done
    file_part "$f" "$c" "$c" > "$E2E_WORK/ch-race"
    for i in 2 3; do
        { upload_req "$(node "$i")" PATCH "$CH_LOC" "$E2E_WORK/ch-race$i" -H 'Content-Type: application/octet-stream' \
            -H "Content-Range: $c-$((2 * c - 1))" --data-binary "@$E2E_WORK/ch-race"; echo; } > "$E2E_WORK/ch-race$i.code" &
    done
    wait
    codes=$(cat "$E2E_WORK/ch-race2.code" "$E2E_WORK/ch-race3.code" | sort | tr '\n' ' ')
    cat "$E2E_WORK/ch-race2.body" "$E2E_WORK/ch-race3.body"; echo
    assert_eq "202 416 " "$codes" "statuses of the same chunk sent to nodes 2 and 3 at once"
    ch_put "$(node 3)" "$f" $((2 * c))
    d=$(sha256_of "$f")
    for ((i = 1; i <= CLUSTER_NODES; i++)); do assert_blob_at "$(node "$i")" "$repo" "$d"; done
}

CHUNKS_CHECKS=3
run_chunks() {
    check "chunks: POST on node 1, PATCH on node 2, status on node 3, PATCH on node 3, PUT on node 1: every node serves the digest" chunks_three_nodes
    check "chunks: three PATCHes on nodes 2, 3, 1 and the last chunk in the PUT on node 2: digest through the LB" chunks_last_in_put
    check "chunks: a stale offset is refused (416) on every node; the same chunk raced on two nodes: one 202, one 416" chunks_offsets_shared
}
