# shellcheck shell=bash
# docker (dockerd 20.10, vfs, no bridge, private data/exec roots): push, cross-repo mount on a second push,
# rmi + pull, pulling OCI images and a multi-arch OCI index pushed by skopeo.

DK_REPO=e2e/docker

docker_login() {
    printf '%s' "$WHARF_E2E_TOKEN" | dk login -u "$WHARF_E2E_USER" --password-stdin "$R"
}

docker_load() {
    # skopeo writes into the daemon through its API socket (docker-daemon: transport)
    to skopeo copy --dest-daemon-host "unix://$DOCKER_SOCK" "oci:$E2E_IMAGES/tiny:latest" docker-daemon:wharf-e2e/tiny:latest
    dk image inspect --format '{{.Id}} {{.Architecture}}' wharf-e2e/tiny:latest
}

# Parse "TAG: digest: sha256:... size: N" from docker push output.
push_digest() { grep -Eo 'digest: sha256:[0-9a-f]{64}' "$1" | tail -n 1 | cut -d' ' -f2; }
# Parse "Digest: sha256:..." from docker pull output.
pull_digest() { grep -Eo '^Digest: sha256:[0-9a-f]{64}' "$1" | tail -n 1 | cut -d' ' -f2; }

docker_push() {
    local ref=$R/$DK_REPO/tiny:1 out=$E2E_WORK/docker-push.out pushed got m
    dk tag wharf-e2e/tiny:latest "$ref"
    dk push "$ref" 2>&1 | tee "$out"
    pushed=$(push_digest "$out")
    assert_nonempty "$pushed" "digest in docker push output"
    got=$(raw_digest "$ref")
    assert_eq "$pushed" "$got" "digest docker reported vs. served"
    m=$(sk inspect --raw "docker://$ref")
    assert_eq application/vnd.docker.distribution.manifest.v2+json "$(jq -r .mediaType <<<"$m")" "docker pushes Docker v2s2"
    assert_eq "$(jq -r .config.digest <<<"$m")" "$(dk image inspect --format '{{.Id}}' "$ref")" "config digest = docker image ID"
    echo "$pushed" > "$E2E_WORK/docker-push.digest"
    # The bytes docker uploaded (it recompresses the layers): each blob as the registry serves it, and
    # the uncompressed layers are the source layout's.
    printf '%s' "$m" > "$E2E_WORK/docker-push.manifest"
    assert_registry_blobs "$DK_REPO/tiny" "$E2E_WORK/docker-push.manifest" "$E2E_WORK/docker-push.blobs"
    assert_same_diff_ids "$E2E_IMAGES/tiny" latest "$E2E_WORK/docker-push.blobs/$(jq -r '.config.digest | sub("^sha256:"; "")' <<<"$m")"
}

# `docker save` of REF: its config and layers must be CONFIG's bytes and diff IDs (what docker pulled).
docker_assert_saved() { # REF CONFIG_FILE
    local dir=$E2E_WORK/docker-save-$RANDOM layers=()
    mkdir -p "$dir"
    dk save -o "$dir.tar" "$1"
    tar -xf "$dir.tar" -C "$dir"
    mapfile -t layers < <(jq -r '.[0].Layers[]' "$dir/manifest.json")
    assert_exported_image "$2" "$dir/$(jq -er '.[0].Config' "$dir/manifest.json")" "${layers[@]/#/$dir/}"
    rm -rf "$dir" "$dir.tar"
}

docker_push_mount() {
    local ref=$R/$DK_REPO/tiny-2:1 out=$E2E_WORK/docker-push-2.out pushed got
    dk tag wharf-e2e/tiny:latest "$ref"
    dk push "$ref" 2>&1 | tee "$out"
    assert_contains "$out" "Mounted from $DK_REPO/tiny" "layer cross-repo mounted (POST ?mount=&from=)"
    pushed=$(push_digest "$out")
    got=$(raw_digest "$ref")
    assert_eq "$pushed" "$got" "digest after mounted push"
    assert_eq "$(cat "$E2E_WORK/docker-push.digest")" "$pushed" "same manifest as the first push"
}

docker_pull() {
    local ref=$R/$DK_REPO/tiny:1 out=$E2E_WORK/docker-pull.out pulled want
    want=$(cat "$E2E_WORK/docker-push.digest")
    dk rmi "$ref" "$R/$DK_REPO/tiny-2:1" wharf-e2e/tiny:latest
    assert_fails "image gone from dockerd after rmi" dk image inspect "$ref"
    dk pull "$ref" 2>&1 | tee "$out"
    pulled=$(pull_digest "$out")
    assert_eq "$want" "$pulled" "digest docker pulled"
    assert_eq "$(raw_digest "$ref")" "$pulled" "digest served by the registry (skopeo inspect)"
    dk image inspect --format '{{json .RepoDigests}}' "$ref" | tee "$out.repodigests"
    assert_contains "$out.repodigests" "$R/$DK_REPO/tiny@$want" "RepoDigests"
    docker_assert_saved "$ref" "$E2E_WORK/docker-push.blobs/$(jq -r '.config.digest | sub("^sha256:"; "")' "$E2E_WORK/docker-push.manifest")"
}

docker_pull_oci() {
    local ref=$R/$DK_REPO/debian:bookworm out=$E2E_WORK/docker-pull-oci.out want m
    want=$(layout_digest "$E2E_IMAGES/debian" bookworm)
    sk_copy --preserve-digests "oci:$E2E_IMAGES/debian:bookworm" "docker://$ref"
    dk pull "$ref" 2>&1 | tee "$out"
    assert_eq "$want" "$(pull_digest "$out")" "digest docker pulled (OCI manifest)"
    m=$(blob_path "$E2E_IMAGES/debian" "$want")
    assert_eq "$(jq -r .config.digest "$m")" "$(dk image inspect --format '{{.Id}}' "$ref")" "image ID = OCI config digest"
    docker_assert_saved "$ref" "$(blob_path "$E2E_IMAGES/debian" "$(jq -r .config.digest "$m")")"
}

docker_pull_index() {
    local ref=$R/$DK_REPO/multi:latest out=$E2E_WORK/docker-pull-index.out want amd m
    want=$(layout_digest "$E2E_IMAGES/multi" latest)
    amd=$(layout_digest "$E2E_IMAGES/tiny" latest)
    sk_copy --all --preserve-digests "oci:$E2E_IMAGES/multi:latest" "docker://$ref"
    dk pull "$ref" 2>&1 | tee "$out"
    assert_eq "$want" "$(pull_digest "$out")" "digest docker pulled (the index)"
    assert_eq amd64 "$(dk image inspect --format '{{.Architecture}}' "$ref")" "platform chosen"
    m=$(blob_path "$E2E_IMAGES/tiny" "$amd")
    assert_eq "$(jq -r .config.digest "$m")" "$(dk image inspect --format '{{.Id}}' "$ref")" "image is the amd64 child"
    docker_assert_saved "$ref" "$(blob_path "$E2E_IMAGES/tiny" "$(jq -r .config.digest "$m")")"
}

# The checks run_docker runs (e2e/run fails the section when another number ran).
DOCKER_CHECKS=$((7 + $(if_token 1)))
run_docker() {
    check_main "docker: dockerd started (vfs, no bridge, private roots)" ensure_dockerd
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0   # without dockerd the rest cannot run: e2e/run counts them missing
    if [ -n "${WHARF_E2E_TOKEN:-}" ]; then
        check "docker: login" docker_login
    fi
    check "docker: load tiny image into dockerd (skopeo docker-daemon:)"      docker_load
    check "docker: push (Docker v2s2), digest reported = digest served, blob bytes" docker_push
    check "docker: push to a second repository mounts the layer"              docker_push_mount
    check "docker: rmi, pull, digest and saved bytes match the registry"      docker_pull
    check "docker: pull an OCI image (debian) pushed by skopeo, saved bytes"  docker_pull_oci
    check "docker: pull a multi-arch OCI index (resolves linux/amd64)"        docker_pull_index
}
