# shellcheck shell=bash
# killpush: a node killed with -9 while a slow client streams a large chunk to it. The client's retry goes
# through the load balancer (so to another node), asks where the upload stands, resumes from the last
# acknowledged offset and completes with the right digest; a whole new push meanwhile routes around the
# dead node; the node comes back on an empty data directory and serves what the others stored.
# Uses chunks.sh's helpers (ch_start, ch_patch, ch_put, upload_req, header_of).

KP_MIB=$((1024 * 1024))
KP_FIRST=$((16 * KP_MIB))      # acknowledged before the kill
KP_REST=$((40 * KP_MIB))       # streamed at KP_RATE to the node that is killed
KP_RATE=8M

killpush_prepare() {
    # shellcheck source=e2e/cluster/cases/chunks.sh
    source "$CLUSTER_DIR/cases/chunks.sh"
    local f=$E2E_WORK/kp.bin
    head -c $((KP_FIRST + KP_REST)) /dev/urandom > "$f"
    ch_start "$LB" "cluster/r$ROUND/killpush"
    [ "$CH_MIN" -le "$KP_FIRST" ] || die "OCI-Chunk-Min-Length $CH_MIN is above $KP_FIRST"
    ch_patch "$(node 2)" "$f" 0 "$KP_FIRST"
    echo "$CH_LOC" > "$E2E_WORK/kp.loc"
    tail -c +"$((KP_FIRST + 1))" "$f" > "$E2E_WORK/kp.rest"
}

# Main shell (it kills a node): no assertions that exit, only return codes.
killpush_kill() {
    local loc curl_pid i
    loc=$(cat "$E2E_WORK/kp.loc")
    curl -sS --max-time 120 -u "AWS:$WHARF_E2E_TOKEN" --limit-rate "$KP_RATE" -X PATCH \
        -H 'Content-Type: application/octet-stream' -H "Content-Range: $KP_FIRST-$((KP_FIRST + KP_REST - 1))" \
        --data-binary "@$E2E_WORK/kp.rest" -o "$E2E_WORK/kp.interrupted.body" -w '%{http_code}' \
        "http://$(node 2)$loc" > "$E2E_WORK/kp.interrupted.code" 2> "$E2E_WORK/kp.interrupted.err" &
    curl_pid=$!
    sleep 2
    if ! kill -0 "$curl_pid" 2>/dev/null; then
        echo "the slow PATCH ended before the kill: $(cat "$E2E_WORK/kp.interrupted.code")" >&2; return 1
    fi
    echo "node 2 (pid ${NODE_PID[2]}) killed with -9 two seconds into a ${KP_RATE}/s PATCH of $KP_REST bytes"
    kill_node 2
    for ((i = 0; i < 100; i++)); do kill -0 "$curl_pid" 2>/dev/null || break; sleep 0.1; done
    wait "$curl_pid" || true
    echo "the interrupted PATCH: status '$(cat "$E2E_WORK/kp.interrupted.code")', $(cat "$E2E_WORK/kp.interrupted.err")"
}

killpush_resume() {
    # shellcheck source=e2e/cluster/cases/chunks.sh
    source "$CLUSTER_DIR/cases/chunks.sh"
    local f=$E2E_WORK/kp.bin h=$E2E_WORK/kp-status range repo=cluster/r$ROUND/killpush
    [ "$(cat "$E2E_WORK/kp.interrupted.code")" != 202 ] || die "the PATCH to the killed node was acknowledged"
    CH_LOC=$(cat "$E2E_WORK/kp.loc")
    assert_eq 204 "$(upload_req "$LB" GET "$CH_LOC" "$h")" "GET upload status through the LB"
    range=$(header_of "$h" Range)
    echo "the upload stands at Range: $range"
    assert_eq "0-$((KP_FIRST - 1))" "$range" "Range after the kill: the acknowledged chunk, nothing of the interrupted one"
    CH_LOC=$(header_of "$h" Location)
    ch_patch "$LB" "$f" "$KP_FIRST" "$KP_REST"
    ch_put "$LB" "$f"
    assert_blob_at "$(node 1)" "$repo" "$(sha256_of "$f")"
    assert_blob_at "$(node 3)" "$repo" "$(sha256_of "$f")"
}

killpush_route_around() {
    local repo want
    repo=cluster/r$ROUND/killpush
    want=$(layout_digest "$E2E_IMAGES/tiny" arm64)
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:arm64" "docker://$LB/$repo:while-down"
    assert_eq "$want" "$(raw_digest "$LB/$repo:while-down")" "manifest pushed while node 2 is down"
}

killpush_node2_serves() {
    local repo=cluster/r$ROUND/killpush
    assert_blob_at "$(node 2)" "$repo" "$(sha256_of "$E2E_WORK/kp.bin")"
    assert_eq "$(layout_digest "$E2E_IMAGES/tiny" arm64)" "$(raw_digest "$(node 2)/$repo:while-down")" \
        "manifest pushed while node 2 was down, from the restarted node 2"
}

KILLPUSH_CHECKS=6
run_killpush() {
    check "killpush: upload started through the LB, first 16 MiB acknowledged by node 2" killpush_prepare
    check_main "killpush: node 2 killed (-9) in the middle of a slow 40 MiB PATCH (curl --limit-rate $KP_RATE)" killpush_kill
    check "killpush: the client's retry through the LB sees the acknowledged offset, resumes there, completes with the right digest" killpush_resume
    check "killpush: while node 2 is down, skopeo pushes through the LB" killpush_route_around
    check_main "killpush: node 2 restarted on an empty data directory" start_node 2
    check "killpush: the restarted node 2 serves the resumed blob and the manifest pushed while it was down" killpush_node2_serves
}
