# shellcheck shell=bash
# webhooks: one subscription, pushes through every node at once: each push reaches the receiver exactly once. Only
# the node holding the webhooks subscriber's cursor sends (docs/events.md, "Several nodes"); without that hold, two
# nodes polling at one moment both sent a batch. The receiver records every request's event id, duplicates included.

: "${WH_PUSHES:=10}"   # per node, all nodes at once

wh_api() { # HOST:PORT METHOD PATH [curl args...]
    local at=$1 m=$2 p=$3
    shift 3
    at_curl "$at" "/wharf/v1/$p" --fail-with-body -X "$m" "$@"
}

# The receiver (registered to be stopped at exit; the ids it records in $E2E_WORK/wh-ids) and the subscription (its
# id in wh-id): ImagePushed of this round's repository only.
webhooks_subscribe() {
    local port=$(free_port) repo=cluster/r$ROUND/hooks
    : > "$E2E_WORK/wh-ids"
    python3 "$CLUSTER_DIR/webhook-ids.py" "$port" "$E2E_WORK/wh-ids" > "$E2E_WORK/wh-receiver.log" 2>&1 &
    register_pid "$!" "webhook receiver (cluster webhooks section)"
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    wh_api "$(node 1)" POST webhooks -H 'Content-Type: application/json' \
        -d "{\"url\":\"http://127.0.0.1:$port/hook\",\"repository\":\"$repo\",\"eventTypes\":[\"ImagePushed\"]}" \
        | jq -r .id > "$E2E_WORK/wh-id"
    [ -s "$E2E_WORK/wh-id" ] || die "no subscription id"
}

# WH_PUSHES manifests under new tags through each node, the nodes at once (one blob pair, pushed first).
webhooks_push() {
    local repo=cluster/r$ROUND/hooks dir=$E2E_WORK/wh-blobs i k config layer pids=()
    mkdir -p "$dir"
    printf '{"architecture":"amd64","os":"linux","round":%s}' "$ROUND" > "$dir/config"
    head -c 2048 /dev/urandom > "$dir/layer"
    config=$(push_blob "$(node 1)" "$repo" "$dir/config")
    layer=$(push_blob "$(node 1)" "$repo" "$dir/layer")
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        (
            for ((k = 1; k <= WH_PUSHES; k++)); do
                printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":2048}],"annotations":{"n":"%s-%s"}}' \
                    "$config" "$(stat -c %s "$dir/config")" "$layer" "$i" "$k" > "$dir/m$i-$k"
                code=$(at_curl "$(node "$i")" "/v2/$repo/manifests/n$i-$k" -o /dev/null -w '%{http_code}' -X PUT \
                    -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$dir/m$i-$k")
                [ "$code" = 201 ] || { echo "PUT n$i-$k on node $i: $code" >&2; exit 1; }
            done
        ) &
        pids+=("$!")
    done
    for i in "${pids[@]}"; do wait "$i" || die "a node's pushes failed"; done
}

# Every push delivered (within 60 s: a node that died holding the cursor is replaced after jobs.lease-duration),
# then 3 s more for duplicates, which would come with the first: none.
webhooks_once() {
    local want=$((WH_PUSHES * CLUSTER_NODES)) t distinct total
    for ((t = 0; t < 240; t++)); do
        distinct=$(sort -u "$E2E_WORK/wh-ids" | wc -l)
        [ "$distinct" -ge "$want" ] && break
        sleep 0.25
    done
    sleep 3
    distinct=$(sort -u "$E2E_WORK/wh-ids" | wc -l)
    total=$(wc -l < "$E2E_WORK/wh-ids")
    note "deliveries: $total requests, $distinct distinct events, $want pushes"
    assert_eq "$want" "$distinct" "distinct events delivered"
    assert_eq "$want" "$total" "requests (a duplicate is a batch sent by two nodes)"
    wh_api "$(node 2)" DELETE "webhooks/$(cat "$E2E_WORK/wh-id")" -o /dev/null
}

WEBHOOKS_CHECKS=3
run_webhooks() {
    check_main "webhooks: a receiver, and a subscription to this round's repository created on node 1" webhooks_subscribe
    check "webhooks: ${WH_PUSHES} pushes through each node, all nodes at once" webhooks_push
    check "webhooks: each push delivered exactly once, whichever node took it" webhooks_once
}
