# shellcheck shell=bash
# outage: PostgreSQL stopped, then the S3 store stopped, under the running nodes. Each answers in the
# protocol's shape that it cannot serve now (503 UNAVAILABLE, never a 500 or a hang), and every node comes
# back by itself once the service is back: a push through the load balancer, the manifest on every node.

OU_TYPE=application/vnd.oci.image.manifest.v1+json

# status of GET /v2/REPO/manifests/TAG on HOST:PORT (000: no answer in 20 s); the body in $E2E_WORK/ou-body
ou_get() { at_curl "$1" "/v2/$2/manifests/$3" -o "$E2E_WORK/ou-body" -w '%{http_code}' -H "Accept: $OU_TYPE" --max-time 20 || true; }

outage_before() {
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:latest" "docker://$LB/cluster/r$ROUND/outage:before"
}

stop_pg() { pg_as "$CLUSTER_PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop; }

# Every node answers 503 UNAVAILABLE, a manifest GET within 15 s and /readyz within 5 s (a load balancer's
# health check and a client must not hang on a node that cannot serve). The nodes are asked in parallel.
outage_pg_down() {
    local i code
    sleep 2     # each node's listener sees its connection go
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        at_curl "$(node "$i")" "/v2/cluster/r$ROUND/outage/manifests/before" -o "$E2E_WORK/ou-get$i" -w '%{http_code}' \
            -H "Accept: $OU_TYPE" --max-time 15 > "$E2E_WORK/ou-get$i.code" 2>/dev/null &
        curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$(node "$i")/readyz" > "$E2E_WORK/ou-ready$i.code" &
    done
    wait
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        cat "$E2E_WORK/ou-get$i" 2>/dev/null || true; echo
        echo "node $i: manifest GET -> '$(cat "$E2E_WORK/ou-get$i.code")' (000: no answer in 15 s), /readyz -> '$(cat "$E2E_WORK/ou-ready$i.code")' (000: none in 5 s)"
    done
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        assert_eq 503 "$(cat "$E2E_WORK/ou-get$i.code")" "manifest GET on node $i with PostgreSQL down"
        assert_contains "$E2E_WORK/ou-get$i" UNAVAILABLE "OCI error code on node $i"
        assert_eq 503 "$(cat "$E2E_WORK/ou-ready$i.code")" "/readyz on node $i with PostgreSQL down"
    done
}

# Within 30 s of the service's return every node is ready again and the cluster takes a push.
outage_recovered() { # WHAT TAG
    local i code deadline
    deadline=$(( $(e2e_now) + 30 ))
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        while :; do
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$(node "$i")/readyz" || true)
            [ "$code" != 200 ] && [ "$(e2e_now)" -lt "$deadline" ] || break
            sleep 0.5
        done
        assert_eq 200 "$code" "/readyz on node $i after $1 came back"
    done
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:arm64" "docker://$LB/cluster/r$ROUND/outage:$2"
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        assert_eq "$(layout_digest "$E2E_IMAGES/tiny" arm64)" "$(raw_digest "$(node "$i")/cluster/r$ROUND/outage:$2")" \
            "manifest pushed after $1 came back, on node $i"
    done
}

# Blob reads and a push fail with 503 UNAVAILABLE on every node; manifests still answer from PostgreSQL.
outage_s3_down() {
    local i code layer f=$E2E_WORK/ou-blob
    layer=$(jq -r '.layers[0].digest' "$(blob_path "$E2E_IMAGES/tiny" "$(layout_digest "$E2E_IMAGES/tiny" latest)")")
    head -c 4096 /dev/urandom > "$f"
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        assert_eq 200 "$(ou_get "$(node "$i")" "cluster/r$ROUND/outage" before)" "manifest GET on node $i with S3 down"
        code=$(at_curl "$(node "$i")" "/v2/cluster/r$ROUND/outage/blobs/$layer" -o "$E2E_WORK/ou-body" -w '%{http_code}' --max-time 20 || true)
        cat "$E2E_WORK/ou-body" | head -c 300; echo
        assert_eq 503 "$code" "blob GET on node $i with S3 down"
        code=$(at_curl "$(node "$i")" "/v2/cluster/r$ROUND/outage/blobs/uploads/?digest=$(sha256_of "$f")" -X POST \
            -o "$E2E_WORK/ou-body" -w '%{http_code}' -H 'Content-Type: application/octet-stream' --data-binary "@$f" --max-time 20 || true)
        cat "$E2E_WORK/ou-body" | head -c 300; echo
        assert_eq 503 "$code" "blob upload on node $i with S3 down"
        assert_contains "$E2E_WORK/ou-body" UNAVAILABLE "OCI error code on node $i"
    done
}

stop_s3() { stop_pid "$S3_PID" s3proxy 30; unregister_pid "$S3_PID"; }

OUTAGE_CHECKS=9
run_outage() {
    check "outage: an image pushed before" outage_before
    check_main "outage: PostgreSQL stopped (pg_ctl stop -m fast)" stop_pg
    check "outage: with PostgreSQL down every node answers 503 UNAVAILABLE within 15 s and /readyz 503 within 5 s" outage_pg_down
    check_main "outage: PostgreSQL started again" pg_start
    check "outage: every node ready again within 30 s; a push through the LB, its manifest on every node" outage_recovered PostgreSQL after-pg
    check_main "outage: S3Proxy stopped" stop_s3
    check "outage: with S3 down, manifests still answer; blob GET and upload get 503 UNAVAILABLE on every node" outage_s3_down
    check_main "outage: S3Proxy started again" s3proxy_launch
    check "outage: every node ready after S3 came back; a push through the LB, its manifest on every node" outage_recovered S3 after-s3
}
