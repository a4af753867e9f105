# shellcheck shell=bash
# pull-through: a Wharf (authentication on) caching three upstreams — Debian's docker-registry (CNCF Distribution)
# without auth, another with htpasswd basic auth, and a second Wharf reached with ECR tokens — configured with the
# aws CLI and signed ECR calls (rules) and `wharf secrets put` (credentials). skopeo and podman pull through the cache: manifests and every
# blob byte-identical to the source layouts, multi-arch indexes with all their children; the upstreams are stopped
# and everything pulled keeps pulling from the cache.

PT_AWS=/usr/bin/aws
PT_IMAGES="tiny multi"

PULL_THROUGH_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then PULL_THROUGH_CHECKS=9; fi

pt_aws() { # aws CLI as the cache's root
    AWS_SHARED_CREDENTIALS_FILE=$PT_DATA/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$PT_AWS" --endpoint-url "http://$PT" "$@"
}
# One signed ECR call as the cache's root (curl --aws-sigv4): Debian's aws CLI 2.9.19 predates credentialArn,
# upstreamRegistry, upstreamRepositoryPrefix and ValidatePullThroughCacheRule. The response body on stdout.
pt_ecr() { # OPERATION JSON
    local id secret
    id=$(sed -n 's/^aws_access_key_id *= *//p' "$PT_DATA/root-credentials")
    secret=$(sed -n 's/^aws_secret_access_key *= *//p' "$PT_DATA/root-credentials")
    curl -sS --fail-with-body --max-time 60 --aws-sigv4 "aws:amz:us-east-1:ecr" --user "$id:$secret" \
        -H "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.$1" -H 'Content-Type: application/x-amz-json-1.1' \
        -d "$2" "http://$PT/"
}
pt_upstream_aws() { # aws CLI as the upstream Wharf's root
    AWS_SHARED_CREDENTIALS_FILE=$PT_UP_DATA/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$PT_AWS" --endpoint-url "http://$PT_UP" "$@"
}

# docker-registry on PORT with its data under NAME; with USER:PASSWORD, htpasswd basic auth
pt_distribution() { # NAME PORT [USER PASSWORD]
    local dir=$E2E_WORK/pt-$1 bin
    bin=$(command -v docker-registry) || { echo "docker-registry (Debian's CNCF Distribution) is not installed"; return 1; }
    mkdir -p "$dir/data"
    printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$dir/data" "$2" > "$dir/config.yml"
    if [ -n "${3:-}" ]; then
        htpasswd -Bbn "$3" "$4" > "$dir/htpasswd"
        printf 'auth:\n  htpasswd:\n    realm: pt-e2e\n    path: %s\n' "$dir/htpasswd" >> "$dir/config.yml"
    fi
    env -u REGISTRY_AUTH_FILE "$bin" serve "$dir/config.yml" >> "$dir/registry.log" 2>&1 &
    register_pid "$!" "docker-registry $1 (pull-through section)"
    eval "PT_PID_$1=$!"
    wait_http "http://127.0.0.1:$2/v2/" "$E2E_START_TIMEOUT" "200 401" "$!"
}

pt_start() {
    PT_DATA=$E2E_WORK/pt-cache
    PT_UP_DATA=$E2E_WORK/pt-upstream
    PT_D1=127.0.0.1:$(free_port)
    pt_distribution plain "${PT_D1#*:}"
    PT_D2=127.0.0.1:$(free_port)
    PT_D2_PASSWORD=pt-e2e-$RANDOM$RANDOM
    pt_distribution auth "${PT_D2#*:}" ptc "$PT_D2_PASSWORD"
    PT_UP=127.0.0.1:$(free_port)
    wharf_serve "$E2E_WORK/pt-upstream.log" --listen "$PT_UP" --data "$PT_UP_DATA" &
    PT_PID_wharf=$!
    register_pid "$PT_PID_wharf" "upstream wharf (pull-through section)"
    PT=127.0.0.1:$(free_port)
    wharf_serve "$E2E_WORK/pt-cache.log" --listen "$PT" --data "$PT_DATA" &
    PT_PID_cache=$!
    register_pid "$PT_PID_cache" "pull-through cache wharf"
    wait_http "http://$PT_UP/v2/" "$E2E_START_TIMEOUT" "401" "$PT_PID_wharf"
    wait_http "http://$PT/v2/" "$E2E_START_TIMEOUT" "401" "$PT_PID_cache"
}

pt_push_upstreams() {
    local up_pw image
    up_pw=$(pt_upstream_aws ecr get-login-password)
    for image in $PT_IMAGES; do
        to skopeo copy --all --preserve-digests --dest-tls-verify=false "oci:$E2E_IMAGES/$image:latest" \
            "docker://$PT_D1/e2e/$image:latest"
        to skopeo copy --all --preserve-digests --dest-tls-verify=false --dest-creds "ptc:$PT_D2_PASSWORD" \
            "oci:$E2E_IMAGES/$image:latest" "docker://$PT_D2/e2e/$image:latest"
        to skopeo copy --all --preserve-digests --dest-tls-verify=false --dest-creds "AWS:$up_pw" \
            "oci:$E2E_IMAGES/$image:latest" "docker://$PT_UP/team/e2e/$image:latest"
    done
}

# credentials with `wharf secrets put` (the upstream Wharf's root keys for ECR tokens), rules with the aws CLI
pt_rules() {
    local arn out=$E2E_WORK/pt-rules.json id secret p
    printf '{"username":"ptc","accessToken":"%s"}' "$PT_D2_PASSWORD" \
        | to "$REPO/bin/wharf" secrets put ecr-pullthroughcache/dist --data "$PT_DATA"
    id=$(sed -n 's/^aws_access_key_id *= *//p' "$PT_UP_DATA/root-credentials")
    secret=$(sed -n 's/^aws_secret_access_key *= *//p' "$PT_UP_DATA/root-credentials")
    printf '{"username":"%s","accessToken":"%s"}' "$id" "$secret" \
        | to "$REPO/bin/wharf" secrets put ecr-pullthroughcache/wharf --data "$PT_DATA"
    arn=arn:aws:secretsmanager:us-east-1:$(pt_aws sts get-caller-identity --query Account --output text):secret
    pt_aws ecr create-pull-through-cache-rule --ecr-repository-prefix dist --upstream-registry-url "http://$PT_D1"
    pt_ecr CreatePullThroughCacheRule "{\"ecrRepositoryPrefix\":\"dist-auth\",\"upstreamRegistryUrl\":\"http://$PT_D2\",
        \"credentialArn\":\"$arn:ecr-pullthroughcache/dist\"}"
    pt_ecr CreatePullThroughCacheRule "{\"ecrRepositoryPrefix\":\"wharf\",\"upstreamRegistryUrl\":\"http://$PT_UP\",
        \"upstreamRegistry\":\"ecr\",\"upstreamRepositoryPrefix\":\"team\",\"credentialArn\":\"$arn:ecr-pullthroughcache/wharf\"}"
    echo
    pt_aws ecr describe-pull-through-cache-rules > "$out"
    cat "$out"
    assert_eq "dist dist-auth wharf" "$(jq -r '[.pullThroughCacheRules[].ecrRepositoryPrefix] | join(" ")' "$out")" "rules"
    pt_ecr DescribePullThroughCacheRules '{"ecrRepositoryPrefixes":["wharf"]}' > "$out"
    cat "$out"; echo
    jq -e '.pullThroughCacheRules[0].upstreamRegistry == "ecr" and .pullThroughCacheRules[0].upstreamRepositoryPrefix == "team"' "$out"
    if grep -q "$PT_D2_PASSWORD\|$secret" "$out"; then die "a secret value was returned"; fi
    for p in dist dist-auth wharf; do
        pt_ecr ValidatePullThroughCacheRule "{\"ecrRepositoryPrefix\":\"$p\"}" > "$out"
        cat "$out"
        jq -e '.isValid == true' "$out" > /dev/null || die "rule $p is not valid"
    done
}

# skopeo pulls every image through the cache under PREFIX: byte-identical to the source layouts
pt_pull_all() { # PREFIX
    local pw image out
    pw=$(pt_aws ecr get-login-password)
    for image in $PT_IMAGES; do
        out=$E2E_WORK/back/pt-$1-$image
        rm -rf "$out"; mkdir -p "$E2E_WORK/back"
        to skopeo copy --all --preserve-digests --src-tls-verify=false --src-creds "AWS:$pw" \
            "docker://$PT/$1/e2e/$image:latest" "oci:$out:latest"
        assert_layouts_identical "$E2E_IMAGES/$image" latest "$out" latest
    done
}

pt_podman_pull() {
    local pw d
    choose_storage_driver
    pw=$(pt_aws ecr get-login-password)
    podman_ login --tls-verify=false -u AWS -p "$pw" "$PT"
    podman_ pull --tls-verify=false "$PT/dist/e2e/tiny:latest"
    d=$(podman_ image inspect --format '{{.Digest}}' "$PT/dist/e2e/tiny:latest")
    assert_eq "$(layout_digest "$E2E_IMAGES/tiny" latest)" "$d" "digest podman pulled through the cache"
}

# the caches' repositories hold the images (stored once their blobs were); then the upstreams stop
pt_cached_then_upstreams_stop() {
    local repo image want i out=$E2E_WORK/pt-images.json
    for repo in dist dist-auth wharf; do
        for image in $PT_IMAGES; do
            want=$(layout_digest "$E2E_IMAGES/$image" latest)
            for i in $(seq 1 60); do
                pt_aws ecr describe-images --repository-name "$repo/e2e/$image" > "$out" 2>/dev/null \
                    && jq -e --arg d "$want" '.imageDetails[] | select(.imageDigest == $d and (.imageTags | index("latest")))' \
                        "$out" > /dev/null && break
                sleep 1
            done
            jq -e --arg d "$want" '.imageDetails[] | select(.imageDigest == $d)' "$out" > /dev/null \
                || die "$repo/e2e/$image:latest was not cached"
        done
    done
    stop_pid "$PT_PID_plain" "docker-registry plain"
    stop_pid "$PT_PID_auth" "docker-registry auth"
    stop_pid "$PT_PID_wharf" "upstream wharf"
}

pt_pull_all_offline() {
    pt_pull_all dist
    pt_pull_all dist-auth
    pt_pull_all wharf
}

run_pull-through() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        echo "SKIP  pull-through (Wharf only: the cache is Wharf's)"; return 0
    fi
    check_main "pull-through: a cache Wharf, Distribution with and without htpasswd, an upstream Wharf start" pt_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "pull-through: tiny and multi pushed to the three upstreams" pt_push_upstreams
    check "pull-through: secrets put, rules created (aws CLI, signed curl), described and validated" pt_rules
    check "pull-through: skopeo through the cache from Distribution: byte-identical, index with both children" pt_pull_all dist
    check "pull-through: skopeo through the cache from Distribution with basic auth" pt_pull_all dist-auth
    check "pull-through: skopeo through the cache from another Wharf with ECR tokens" pt_pull_all wharf
    check "pull-through: podman pulls through the cache" pt_podman_pull
    check "pull-through: every image stored in the cache; the upstreams stop" pt_cached_then_upstreams_stop
    check "pull-through: everything pulled keeps pulling from the cache with the upstreams down" pt_pull_all_offline
}
