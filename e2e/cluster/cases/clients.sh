# shellcheck shell=bash
# clients: skopeo, podman and docker push and pull through the load balancer (every request may land on
# another node); digests compared with the source and every blob fetched from every node directly.

CL_REPO() { echo "cluster/r$ROUND/$1"; }

# Every blob of the manifest MANIFEST_FILE (config and layers), GET from each node directly, hashes to
# its digest: what one node stored in the bucket every node serves.
assert_blobs_on_every_node() { # REPO MANIFEST_FILE
    local d i n=0
    for d in $(jq -r '(.config.digest // empty), (.layers[]?.digest)' "$2"); do
        for ((i = 1; i <= CLUSTER_NODES; i++)); do assert_blob_at "$(node "$i")" "$1" "$d"; done
        n=$((n + 1))
    done
    [ "$n" -ge 2 ] || die "only $n blobs in $2"
    echo "ok: $n blobs served identically by all $CLUSTER_NODES nodes"
}

# The manifest REPO:TAG served by each node directly has DIGEST.
assert_manifest_on_every_node() { # REPO TAG DIGEST
    local i got
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        got=$(raw_digest "$(node "$i")/$1:$2")
        assert_eq "$3" "$got" "manifest $1:$2 on node $i"
    done
}

clients_setup() {
    choose_storage_driver
    ensure_dockerd
    podman_ version > /dev/null
    clear_blob_info_cache
}

clients_skopeo() {
    local repo want got out=$E2E_WORK/back/r$ROUND-debian from
    repo=$(CL_REPO debian)
    from=$(lb_log_lines)
    want=$(layout_digest "$E2E_IMAGES/debian" bookworm)
    sk_copy --preserve-digests "oci:$E2E_IMAGES/debian:bookworm" "docker://$LB/$repo:bookworm"
    got=$(raw_digest "$LB/$repo:bookworm")
    assert_eq "$want" "$got" "manifest digest served through the LB"
    [ "$(lb_nodes_since "$from")" -eq "$CLUSTER_NODES" ] || die "the push did not reach all $CLUSTER_NODES nodes"
    assert_manifest_on_every_node "$repo" bookworm "$want"
    assert_blobs_on_every_node "$repo" "$(blob_path "$E2E_IMAGES/debian" "$want")"
    rm -rf "$out"; mkdir -p "$E2E_WORK/back"
    sk_copy --preserve-digests "docker://$LB/$repo:bookworm" "oci:$out:bookworm"
    assert_layouts_identical "$E2E_IMAGES/debian" bookworm "$out" bookworm
}

clients_skopeo_index() {
    local repo want out=$E2E_WORK/back/r$ROUND-multi
    repo=$(CL_REPO multi)
    want=$(layout_digest "$E2E_IMAGES/multi" latest)
    sk_copy --all --preserve-digests "oci:$E2E_IMAGES/multi:latest" "docker://$LB/$repo:latest"
    assert_manifest_on_every_node "$repo" latest "$want"
    rm -rf "$out"; mkdir -p "$E2E_WORK/back"
    sk_copy --all --preserve-digests "docker://$LB/$repo:latest" "oci:$out:latest"
    assert_layouts_identical "$E2E_IMAGES/multi" latest "$out" latest
}

clients_podman() {
    local repo ref id pushed got m=$E2E_WORK/r$ROUND-podman.manifest
    repo=$(CL_REPO podman)
    ref=$LB/$repo:1
    printf '%s' "$WHARF_E2E_TOKEN" | podman_ login --tls-verify=false -u AWS --password-stdin "$LB"
    to skopeo copy "oci:$E2E_IMAGES/tiny:latest" "containers-storage:$(containers_storage_spec)localhost/cluster/tiny:latest"
    id=$(podman_ image inspect --format '{{.Id}}' localhost/cluster/tiny:latest)
    podman_ tag "$id" "$ref"
    podman_ push --tls-verify=false --digestfile "$E2E_WORK/r$ROUND-podman.digest" "$ref"
    pushed=$(cat "$E2E_WORK/r$ROUND-podman.digest")
    assert_manifest_on_every_node "$repo" 1 "$pushed"
    sk inspect --raw "docker://$ref" > "$m"
    assert_eq "sha256:${id#sha256:}" "$(jq -r .config.digest "$m")" "config digest = podman's image ID"
    assert_blobs_on_every_node "$repo" "$m"
    podman_ rmi -f "$ref" localhost/cluster/tiny:latest
    podman_ pull --tls-verify=false "$ref"
    got=$(podman_ image inspect --format '{{.Id}}' "$ref")
    assert_eq "${id#sha256:}" "${got#sha256:}" "image ID after pull through the LB"
}

# docker logs in once through the LB, then pushes three tags; each push's requests go round-robin.
clients_docker() {
    local repo out=$E2E_WORK/r$ROUND-docker.out pushed t m=$E2E_WORK/r$ROUND-docker.manifest
    repo=$(CL_REPO docker)
    printf '%s' "$WHARF_E2E_TOKEN" | dk login -u AWS --password-stdin "$LB"
    to skopeo copy --dest-daemon-host "unix://$DOCKER_SOCK" "oci:$E2E_IMAGES/tiny:latest" docker-daemon:cluster/tiny:latest
    for t in 1 2 3; do
        dk tag cluster/tiny:latest "$LB/$repo:$t"
        dk push "$LB/$repo:$t" 2>&1 | tee "$out"
        pushed=$(grep -Eo 'digest: sha256:[0-9a-f]{64}' "$out" | tail -n 1 | cut -d' ' -f2)
        assert_nonempty "$pushed" "digest in docker push output"
        assert_manifest_on_every_node "$repo" "$t" "$pushed"
    done
    sk inspect --raw "docker://$LB/$repo:3" > "$m"
    assert_blobs_on_every_node "$repo" "$m"
    dk rmi "$LB/$repo:1" "$LB/$repo:2" "$LB/$repo:3"
    dk pull "$LB/$repo:2" 2>&1 | tee "$out"
    assert_eq "$pushed" "$(grep -Eo '^Digest: sha256:[0-9a-f]{64}' "$out" | cut -d' ' -f2)" "digest docker pulled through the LB"
    assert_eq "$(jq -r .config.digest "$m")" "$(dk image inspect --format '{{.Id}}' "$LB/$repo:2")" "image ID after pull"
}

CLIENTS_CHECKS=5
run_clients() {
    check_main "clients: dockerd and podman's private storage ready" clients_setup
    check "clients: skopeo push of debian through the LB (all nodes hit): digest, manifest and blobs on every node, pulled back byte-identical" clients_skopeo
    check "clients: skopeo copy --all of a multi-arch index through the LB: every node serves it, pulled back byte-identical" clients_skopeo_index
    check "clients: podman login + push through the LB, blobs on every node, rmi + pull: same image ID" clients_podman
    check "clients: docker login once through the LB, three pushes round-robin, manifests and blobs on every node, pull" clients_docker
}
