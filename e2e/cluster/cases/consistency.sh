# shellcheck shell=bash
# consistency: right after a write on one node (no wait), every other node lists the tag, the repository
# in the catalog and serves the manifest (a new repository or tag: caches never remember an absence); a tag
# moved or a manifest deleted on one node is seen by nodes whose read caches were warm as soon as they hear of
# it (PostgreSQL's NOTIFY, after the commit: milliseconds; CO_STALE_MS bounds it here, docs/cluster.md).

: "${CO_STALE_MS:=1000}"

CO_TYPE=application/vnd.oci.image.manifest.v1+json

# HTTP status of GET/HEAD PATH on HOST:PORT; the response headers in $E2E_WORK/co-h, the body in co-b
co_req() { # HOST:PORT METHOD PATH CURL-ARGS...
    local at=$1 m=(-X "$2") p=$3; shift 3
    [ "${m[1]}" != HEAD ] || m=(-I)    # curl -X HEAD would wait for a body
    at_curl "$at" "$p" "${m[@]}" -D "$E2E_WORK/co-h" -o "$E2E_WORK/co-b" -w '%{http_code}' -H "Accept: $CO_TYPE" "$@"
}
co_digest() { tr -d '\r' < "$E2E_WORK/co-h" | sed -n 's/^docker-content-digest: //Ip'; }

# GET REF of REPO on HOST:PORT answers STATUS (and, for 200, DIGEST) within CO_STALE_MS; prints how long it took.
co_within() { # HOST:PORT REPO REF STATUS [DIGEST]
    local t0 code now
    t0=$(date +%s%N)
    while :; do
        code=$(co_req "$1" GET "/v2/$2/manifests/$3")
        if [ "$code" = "$4" ] && { [ "$code" != 200 ] || [ "$(co_digest)" = "$5" ]; }; then
            note "$1: $2:$3 -> $code after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
            return 0
        fi
        now=$(date +%s%N)
        (( (now - t0) / 1000000 < CO_STALE_MS )) || die "$1: $2:$3 still $code $(co_digest) after ${CO_STALE_MS} ms (want $4 $5)"
        sleep 0.01
    done
}
co_put_manifest() { # HOST:PORT REPO REF FILE
    local code
    code=$(co_req "$1" PUT "/v2/$2/manifests/$3" -H "Content-Type: $CO_TYPE" --data-binary "@$4")
    [ "$code" = 201 ] || { cat "$E2E_WORK/co-b"; die "PUT manifest $2:$3 on $1: $code"; }
}

# On HOST:PORT at once: tags/list of REPO has TAG, the catalog has REPO, the manifest REPO:TAG is DIGEST.
co_sees() { # HOST:PORT REPO TAG DIGEST
    assert_eq 200 "$(co_req "$1" GET "/v2/$2/tags/list")" "tags/list of $2 on $1"
    jq -e --arg t "$3" '.tags | index($t) != null' "$E2E_WORK/co-b" > /dev/null || die "$1: tag $3 not in $(cat "$E2E_WORK/co-b")"
    assert_eq 200 "$(co_req "$1" GET "/v2/_catalog")" "catalog on $1"
    jq -e --arg r "$2" '.repositories | index($r) != null' "$E2E_WORK/co-b" > /dev/null || die "$1: $2 not in the catalog"
    assert_eq 200 "$(co_req "$1" GET "/v2/$2/manifests/$3")" "GET manifest $2:$3 on $1"
    assert_eq "$4" "$(co_digest)" "digest of $2:$3 on $1"
}

consistency_setup() {
    local base=cluster/r$ROUND/cons
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:latest" "docker://$(node 1)/$base:amd64"
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:arm64" "docker://$(node 1)/$base:arm64"
}

# Six writes, each on another node, each to a new repository (blobs mounted from the base repository).
consistency_new_repos() {
    local base=cluster/r$ROUND/cons m d k w i repo blob code
    m=$(blob_path "$E2E_IMAGES/tiny" "$(layout_digest "$E2E_IMAGES/tiny" latest)")
    d=$(sha256_of "$m")
    for k in 1 2 3 4 5 6; do
        w=$(( (k - 1) % CLUSTER_NODES + 1 ))
        repo=$base-$k
        for blob in $(jq -r '.config.digest, .layers[].digest' "$m"); do
            code=$(co_req "$(node "$w")" POST "/v2/$repo/blobs/uploads/?mount=$blob&from=$base")
            assert_eq 201 "$code" "mount $blob into $repo on node $w"
        done
        co_put_manifest "$(node "$w")" "$repo" "t$k" "$m"
        for ((i = 1; i <= CLUSTER_NODES; i++)); do
            [ "$i" = "$w" ] || co_sees "$(node "$i")" "$repo" "t$k" "$d"
        done
    done
}

# Nodes 2 and 3 have the tag in their caches; node 1 moves it, then deletes what it points at.
consistency_warm_caches() {
    local repo=cluster/r$ROUND/cons ma mb da db round w i r
    ma=$(blob_path "$E2E_IMAGES/tiny" "$(layout_digest "$E2E_IMAGES/tiny" latest)")
    mb=$(blob_path "$E2E_IMAGES/tiny" "$(layout_digest "$E2E_IMAGES/tiny" arm64)")
    da=$(sha256_of "$ma"); db=$(sha256_of "$mb")
    for round in 1 2 3; do
        w=$(( (round - 1) % CLUSTER_NODES + 1 ))
        co_put_manifest "$(node "$w")" "$repo" moving "$ma"
        for ((i = 1; i <= CLUSTER_NODES; i++)); do     # warm every node's cache on digest A
            for r in 1 2 3; do
                assert_eq 200 "$(co_req "$(node "$i")" GET "/v2/$repo/manifests/moving")" "GET moving on node $i"
                assert_eq "$da" "$(co_digest)" "moving on node $i before the move"
            done
        done
        co_put_manifest "$(node "$w")" "$repo" moving "$mb"
        for ((i = 1; i <= CLUSTER_NODES; i++)); do
            [ "$i" = "$w" ] && continue
            co_within "$(node "$i")" "$repo" moving 200 "$db"
        done
        assert_eq 202 "$(co_req "$(node "$w")" DELETE "/v2/$repo/manifests/$db")" "DELETE $db on node $w"
        for ((i = 1; i <= CLUSTER_NODES; i++)); do
            [ "$i" = "$w" ] && continue
            co_within "$(node "$i")" "$repo" moving 404
            assert_eq 404 "$(co_req "$(node "$i")" HEAD "/v2/$repo/manifests/$db")" "$db on node $i right after the delete"
        done
        # the deleted manifest took tag arm64 with it; put it back for the next round
        co_put_manifest "$(node "$w")" "$repo" arm64 "$mb"
    done
}

CONSISTENCY_CHECKS=3
run_consistency() {
    check "consistency: tiny (amd64, arm64) pushed to node 1" consistency_setup
    check "consistency: six writes (mount + manifest PUT into a new repository), each on another node: the other nodes list the tag and the repository and serve the manifest at once" consistency_new_repos
    check "consistency: with warm caches on every node, a tag moved and a manifest deleted on one node are seen by the others within ${CO_STALE_MS} ms (3 rounds)" consistency_warm_caches
}
