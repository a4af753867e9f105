# shellcheck shell=bash
# migrate: a single-node Wharf (SQLite + filesystem, as `bin/wharf serve` starts) with an image, stopped;
# `wharf migrate` copies it into an empty database and another prefix of the bucket; a node on that
# configuration serves the image byte-identical (docs/cluster.md, "Moving a single node into a cluster").

MG_REPO=single/tiny

migrate_single() {
    MG_DATA=$E2E_WORK/single-r$ROUND
    MG_PORT=$(free_port)
    WHARF_AUTH_ENABLED=false wharf_serve "$E2E_WORK/single.log" --listen "127.0.0.1:$MG_PORT" --data "$MG_DATA" &
    MG_PID=$!
    register_pid "$MG_PID" "single-node wharf"
    wait_http "http://127.0.0.1:$MG_PORT/v2/" "$E2E_START_TIMEOUT" 200 "$MG_PID"
    to skopeo copy --dest-tls-verify=false --preserve-digests "oci:$E2E_IMAGES/tiny:latest" \
        "docker://127.0.0.1:$MG_PORT/$MG_REPO:1"
    stop_pid "$MG_PID" "single-node wharf" 60
    unregister_pid "$MG_PID"
}

migrate_run() {
    local db=wharf_mig_r$ROUND
    PGPASSWORD=$PG_PASSWORD "$CLUSTER_PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U wharf "$db"
    sed -e "s|\(url: jdbc:postgresql://.*/\)wharf\$|\1$db|" -e "s|prefix: registry/|prefix: migrated-r$ROUND/|" \
        "$CLUSTER_CONFIG" > "$E2E_WORK/migrated-r$ROUND.yml"
    grep -q "/$db\$" "$E2E_WORK/migrated-r$ROUND.yml" || die "the database URL was not rewritten"
    to "$REPO/bin/wharf" migrate --from-data "$E2E_WORK/single-r$ROUND" --to-config "$E2E_WORK/migrated-r$ROUND.yml"
}

migrate_node_start() {
    MG_PORT=$(free_port)
    WHARF_CONFIG=$E2E_WORK/migrated-r$ROUND.yml WHARF_ROOT_ACCESS_KEY_ID=$ROOT_KEY_ID \
        WHARF_ROOT_SECRET_ACCESS_KEY=$ROOT_SECRET wharf_serve "$E2E_WORK/migrated-node.log" --listen "127.0.0.1:$MG_PORT" \
        --data "$E2E_WORK/nodes/migrated-r$ROUND" &
    MG_PID=$!
    register_pid "$MG_PID" "node on the migrated database"
    wait_http "http://127.0.0.1:$MG_PORT/v2/" "$E2E_START_TIMEOUT" 401 "$MG_PID"
}

migrate_pull() {
    local out=$E2E_WORK/back/migrated-r$ROUND WHARF_E2E_TOKEN
    WHARF_E2E_TOKEN=$(aws_at "127.0.0.1:$MG_PORT" ecr get-login-password)
    rm -rf "$out"; mkdir -p "$E2E_WORK/back"
    sk_copy --preserve-digests "docker://127.0.0.1:$MG_PORT/$MG_REPO:1" "oci:$out:latest"
    assert_layouts_identical "$E2E_IMAGES/tiny" latest "$out" latest
    s3_keys | grep -q "^migrated-r$ROUND/blobs/" || die "no blob under the migrated prefix of the bucket"
}

migrate_node_stop() {
    stop_pid "$MG_PID" "node on the migrated database" 60
    unregister_pid "$MG_PID"
}

MIGRATE_CHECKS=5
run_migrate() {
    check_main "migrate: a single-node Wharf (SQLite, filesystem) with an image, then stopped" migrate_single
    check "migrate: wharf migrate into an empty database and another prefix of the bucket" migrate_run
    check_main "migrate: a node on the migrated configuration starts" migrate_node_start
    check "migrate: that node serves the image byte-identical; its blobs are in the bucket" migrate_pull
    check_main "migrate: that node stopped" migrate_node_stop
}
