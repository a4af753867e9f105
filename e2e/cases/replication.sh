# shellcheck shell=bash
# replication: two Wharf deployments on loopback with different region names (us-east-1 "east", us-west-2
# "west"), authentication on, each with a regions file naming the other (endpoint + the other's root keys).
# Configured with Debian's aws CLI (put-replication-configuration, describe-registry,
# describe-image-replication-status), images pushed and pulled with skopeo. Checks: an image pushed to east
# pulls from west with identical manifest and blobs; a multi-arch index arrives with both children; west's own
# rule back to east does not relay what came from east; a tag filter (WHARF_TAG_WILDCARD) replicates only
# release-* tags; images that existed before the rule are backfilled, with progress at /wharf/v1.

AWS=/usr/bin/aws
RP_EAST_KEY=AKIAEASTEASTEASTEAST
RP_EAST_SECRET=easteasteasteasteasteasteasteasteasteast
RP_WEST_KEY=AKIAWESTWESTWESTWEST
RP_WEST_SECRET=westwestwestwestwestwestwestwestwestwest
RP_ACCOUNT=000000000000

rp_aws() { # east|west ARGS...
    local side=$1 key secret port region
    shift
    if [ "$side" = east ]; then key=$RP_EAST_KEY secret=$RP_EAST_SECRET port=$RP_EAST_PORT region=us-east-1
    else key=$RP_WEST_KEY secret=$RP_WEST_SECRET port=$RP_WEST_PORT region=us-west-2; fi
    AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_DEFAULT_REGION=$region \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to "$AWS" --endpoint-url "http://127.0.0.1:$port" "$@"
}
rp_creds() { echo "AWS:$(rp_aws "$1" ecr get-login-password)"; }
rp_inspect() { # east|west REPO:TAG  -> the served manifest's digest
    local port=$RP_EAST_PORT out
    [ "$1" = west ] && port=$RP_WEST_PORT
    out=$(to skopeo inspect --raw --tls-verify=false --creds "$(rp_creds "$1")" "docker://127.0.0.1:$port/$2" | sha256sum) || return 1
    echo "sha256:${out%% *}"
}
rp_push() { # LAYOUT:TAG REPO:TAG [extra skopeo args]
    local src=$1 dst=$2
    shift 2
    to skopeo copy --preserve-digests --dest-tls-verify=false --dest-creds "$(rp_creds east)" "$@" \
        "oci:$E2E_IMAGES/$src" "docker://127.0.0.1:$RP_EAST_PORT/$dst"
}
rp_wait_at_west() { # REPO:TAG DIGEST [seconds]
    local i
    for ((i = 0; i < ${3:-60} * 2; i++)); do
        if [ "$(rp_inspect west "$1" 2> /dev/null)" = "$2" ]; then return 0; fi
        sleep 0.5
    done
    die "$1 did not arrive at west as $2"
}

rp_start_one() { # NAME REGION PORT OTHER_REGION OTHER_PORT OTHER_KEY OTHER_SECRET KEY SECRET
    local dir=$E2E_WORK/rp-$1
    mkdir -p "$dir"
    printf '%s\n' "$7" > "$dir/other.secret"
    printf '{"%s":{"endpoint":"http://127.0.0.1:%s","access-key-id":"%s","secret-access-key-file":"%s"}}\n' \
        "$4" "$5" "$6" "$dir/other.secret" > "$dir/regions.json"
    WHARF_AUTH_ENABLED=true WHARF_REGION=$2 WHARF_ROOT_ACCESS_KEY_ID=$8 WHARF_ROOT_SECRET_ACCESS_KEY=$9 \
        WHARF_REPLICATION_REGIONS_FILE=$dir/regions.json WHARF_REPLICATION_INTERVAL=PT1S \
        wharf_serve "$E2E_WORK/rp-$1.log" --listen "127.0.0.1:$3" --data "$dir/data" &
    register_pid "$!" "wharf $1 (replication section)"
    wait_http "http://127.0.0.1:$3/v2/" "$E2E_START_TIMEOUT" "401" "$!"
}

rp_start() {
    RP_EAST_PORT=$(free_port)
    RP_WEST_PORT=$(free_port)
    rp_start_one east us-east-1 "$RP_EAST_PORT" us-west-2 "$RP_WEST_PORT" "$RP_WEST_KEY" "$RP_WEST_SECRET" \
        "$RP_EAST_KEY" "$RP_EAST_SECRET"
    rp_start_one west us-west-2 "$RP_WEST_PORT" us-east-1 "$RP_EAST_PORT" "$RP_EAST_KEY" "$RP_EAST_SECRET" \
        "$RP_WEST_KEY" "$RP_WEST_SECRET"
}

# an image pushed before any rule: the backfill check looks for it later
rp_configure() {
    rp_push tiny:latest pre/app:1
    local out=$E2E_WORK/rp-registry.json
    rp_aws east ecr put-replication-configuration --replication-configuration '{"rules":[
        {"destinations":[{"region":"us-west-2","registryId":"'$RP_ACCOUNT'"}],
         "repositoryFilters":[{"filter":"e2e/","filterType":"PREFIX_MATCH"}]},
        {"destinations":[{"region":"us-west-2","registryId":"'$RP_ACCOUNT'"}],
         "repositoryFilters":[{"filter":"pre/","filterType":"PREFIX_MATCH"}]},
        {"destinations":[{"region":"us-west-2","registryId":"'$RP_ACCOUNT'"}],
         "repositoryFilters":[{"filter":"rel/","filterType":"PREFIX_MATCH"},{"filter":"release-*","filterType":"WHARF_TAG_WILDCARD"}]}]}'
    rp_aws west ecr put-replication-configuration --replication-configuration \
        '{"rules":[{"destinations":[{"region":"us-east-1","registryId":"'$RP_ACCOUNT'"}]}]}'
    rp_aws east ecr describe-registry > "$out"
    cat "$out"
    assert_eq 3 "$(jq '.replicationConfiguration.rules | length' "$out")" "east's rules"
    assert_eq WHARF_TAG_WILDCARD "$(jq -r '.replicationConfiguration.rules[2].repositoryFilters[1].filterType' "$out")" "the tag filter"
}

rp_image_arrives() {
    local want start out=$E2E_WORK/rp-status.json
    want=$(layout_digest "$E2E_IMAGES/tiny" latest)
    start=$(date +%s%N)
    rp_push tiny:latest e2e/app:1
    rp_wait_at_west e2e/app:1 "$want"
    note "pushed -> pullable at west in $(( ($(date +%s%N) - start) / 1000000 )) ms"
    rp_aws east ecr describe-image-replication-status --repository-name e2e/app --image-id imageTag=1 > "$out"
    cat "$out"
    assert_eq COMPLETE "$(jq -r '.replicationStatuses[0].status' "$out")" "status at east"
    assert_eq us-west-2 "$(jq -r '.replicationStatuses[0].region' "$out")" "destination region"
    local back=$E2E_WORK/rp-back
    rm -rf "$back"
    to skopeo copy --preserve-digests --src-tls-verify=false --src-creds "$(rp_creds west)" \
        "docker://127.0.0.1:$RP_WEST_PORT/e2e/app:1" "oci:$back:1"
    assert_layouts_identical "$E2E_IMAGES/tiny" latest "$back" 1
}

rp_index_arrives() {
    local want child
    want=$(layout_digest "$E2E_IMAGES/multi" latest)
    rp_push multi:latest e2e/multi:1 --all
    rp_wait_at_west e2e/multi:1 "$want"
    for child in $(jq -r '.manifests[].digest' "$(blob_path "$E2E_IMAGES/multi" "$want")"); do
        assert_eq "$child" "$(rp_inspect west "e2e/multi@$child")" "child $child at west"
    done
}

rp_not_relayed() {
    local out=$E2E_WORK/rp-west-status.json
    sleep 3 # west's subscriber and job have long seen the replicated push
    rp_aws west ecr describe-image-replication-status --repository-name e2e/app --image-id imageTag=1 > "$out"
    cat "$out"
    assert_eq 0 "$(jq '.replicationStatuses | length' "$out")" "west does not send east's image back"
}

rp_tag_filter() {
    local want
    want=$(layout_digest "$E2E_IMAGES/tiny" latest)
    rp_push tiny:latest rel/app:dev-1
    rp_push tiny:latest rel/app:release-1
    rp_wait_at_west rel/app:release-1 "$want"
    assert_fails "dev-1 replicated" rp_inspect west rel/app:dev-1
}

rp_backfill() {
    local want out=$E2E_WORK/rp-backfills.json
    want=$(layout_digest "$E2E_IMAGES/tiny" latest)
    rp_wait_at_west pre/app:1 "$want"
    curl -sS --max-time 30 -u "$(rp_creds east)" "http://127.0.0.1:$RP_EAST_PORT/wharf/v1/replication/backfills" > "$out"
    cat "$out"
    assert_eq DONE "$(jq -r '.backfills[-1].state' "$out")" "the backfill the rules started"
    [ "$(jq -r '.backfills[-1].tasks.COMPLETE' "$out")" -ge 1 ] || die "no completed backfill task"
}

# The checks run_replication runs (e2e/run fails the section when another number ran); none unless Wharf.
REPLICATION_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then REPLICATION_CHECKS=7; fi
run_replication() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "replication: Wharf only"
        return
    fi
    check_main "replication: east (us-east-1) and west (us-west-2) start with authentication on" rp_start
    check "replication: put-replication-configuration (prefix and tag filters) / describe-registry" rp_configure
    check "replication: skopeo push to east -> identical image pulls from west; status COMPLETE" rp_image_arrives
    check "replication: a multi-arch index arrives with both children" rp_index_arrives
    check "replication: west's rule back to east does not relay east's image" rp_not_relayed
    check "replication: a WHARF_TAG_WILDCARD filter replicates release-* only" rp_tag_filter
    check "replication: an image pushed before the rules is backfilled; progress at /wharf/v1" rp_backfill
}
