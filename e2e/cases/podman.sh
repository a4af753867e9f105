# shellcheck shell=bash
# podman: push, rmi + pull, multi-arch manifest list push (--all), platform resolution on pull.
# Private storage root under $E2E_WORK (overlay when it works here, else vfs).

PD_REPO=e2e/podman

podman_prepare() {
    choose_storage_driver
    podman_ version
}

podman_login() {
    printf '%s' "$WHARF_E2E_TOKEN" | podman_ login --tls-verify=false -u "$WHARF_E2E_USER" --password-stdin "$R"
}

podman_push() {
    local id ref=$R/$PD_REPO/tiny:1 pushed got cfg
    # Into podman's (private) storage. Not `podman pull oci:DIR`: podman names such an image after DIR,
    # which fails for paths that are not valid repository names (upper case, ".cache").
    to skopeo copy "oci:$E2E_IMAGES/tiny:latest" "containers-storage:$(containers_storage_spec)localhost/wharf-e2e/tiny:latest"
    id=$(podman_ image inspect --format '{{.Id}}' localhost/wharf-e2e/tiny:latest)
    echo "local image id: $id"
    podman_ tag "$id" "$ref"
    podman_ push --tls-verify=false --digestfile "$E2E_WORK/podman-push.digest" "$ref"
    pushed=$(cat "$E2E_WORK/podman-push.digest")
    got=$(raw_digest "$ref")
    assert_eq "$pushed" "$got" "digest podman reported vs. manifest the registry serves"
    # The config blob is the image: its digest is podman's image ID.
    sk inspect --raw "docker://$ref" > "$E2E_WORK/podman-push.manifest"
    cfg=$(jq -r .config.digest "$E2E_WORK/podman-push.manifest")
    assert_eq "sha256:${id#sha256:}" "$cfg" "config digest = local image ID"
    # The bytes podman uploaded (it recompresses the layers): each blob as the registry serves it, and
    # the uncompressed layers are the source layout's.
    assert_registry_blobs "$PD_REPO/tiny" "$E2E_WORK/podman-push.manifest" "$E2E_WORK/podman-push.blobs"
    assert_same_diff_ids "$E2E_IMAGES/tiny" latest "$E2E_WORK/podman-push.blobs/${cfg#sha256:}"
}

# `podman save` of REF to an OCI directory: its config and layers must be CONFIG's bytes and diff IDs.
podman_assert_saved() { # REF CONFIG_FILE
    local dir=$E2E_WORK/podman-save-$RANDOM m layers=()
    podman_ save --format oci-dir -o "$dir" "$1"
    m=$(blob_path "$dir" "$(jq -er '.manifests[0].digest' "$dir/index.json")")
    mapfile -t layers < <(jq -r '.layers[].digest' "$m" | while read -r d; do blob_path "$dir" "$d"; done)
    assert_exported_image "$2" "$(blob_path "$dir" "$(jq -er .config.digest "$m")")" "${layers[@]}"
    rm -rf "$dir"
}

podman_pull() {
    local ref=$R/$PD_REPO/tiny:1 pushed got id cfg
    pushed=$(cat "$E2E_WORK/podman-push.digest")
    cfg=$(sk inspect --raw "docker://$ref" | jq -r .config.digest)
    # Remove the image itself (all its names), not just the tag.
    podman_ rmi -f "$cfg"
    assert_fails "image gone locally after rmi" podman_ image exists "$cfg"
    podman_ pull --tls-verify=false "$ref"
    got=$(podman_ image inspect --format '{{.Digest}}' "$ref")
    assert_eq "$pushed" "$got" "digest of the pulled image"
    id=$(podman_ image inspect --format '{{.Id}}' "$ref")
    assert_eq "$cfg" "sha256:${id#sha256:}" "image ID of the pulled image = config digest"
    podman_assert_saved "$ref" "$E2E_WORK/podman-push.blobs/${cfg#sha256:}"
}

# Config digest of TAG in the tiny layout (amd64: latest, arm64: arm64).
tiny_config() { jq -r .config.digest "$(blob_path "$E2E_IMAGES/tiny" "$(layout_digest "$E2E_IMAGES/tiny" "$1")")"; }

podman_multi() {
    local list=localhost/wharf-e2e-multi ref=$R/$PD_REPO/multi:latest m pushed got arch tag child cfg
    sk_copy "oci:$E2E_IMAGES/tiny:latest" "docker://$R/$PD_REPO/src:amd64"
    sk_copy "oci:$E2E_IMAGES/tiny:arm64" "docker://$R/$PD_REPO/src:arm64"
    if podman_ manifest exists "$list"; then podman_ manifest rm "$list"; fi
    podman_ manifest create "$list"
    podman_ manifest add --tls-verify=false "$list" "docker://$R/$PD_REPO/src:amd64"
    podman_ manifest add --tls-verify=false "$list" "docker://$R/$PD_REPO/src:arm64"
    podman_ manifest inspect "$list"
    podman_ manifest push --all --tls-verify=false --digestfile "$E2E_WORK/podman-multi.digest" "$list" "docker://$ref"
    pushed=$(cat "$E2E_WORK/podman-multi.digest")
    m=$E2E_WORK/podman-multi.json
    sk inspect --raw "docker://$ref" > "$m"
    cat "$m"; echo
    assert_eq "$pushed" "sha256:$(sha256sum < "$m" | cut -d' ' -f1)" "index digest podman reported vs. served"
    case $(jq -r .mediaType "$m") in
        application/vnd.oci.image.index.v1+json|application/vnd.docker.distribution.manifest.list.v2+json) ;;
        *) die "unexpected index mediaType $(jq -r .mediaType "$m")" ;;
    esac
    assert_eq 2 "$(jq '.manifests | length' "$m")" "children in the index"
    # podman may regenerate child manifests (it can use its local copy of an image), so child digests
    # are not necessarily the layout's; the config blobs (the images themselves) must be.
    for arch in amd64 arm64; do
        tag=latest; [ "$arch" = arm64 ] && tag=arm64
        child=$(jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture == $a) | .digest' "$m")
        assert_nonempty "$child" "$arch child in the index"
        got=$(raw_digest "$R/$PD_REPO/multi@$child")
        assert_eq "$child" "$got" "$arch child fetched by digest from the index's repository"
        cfg=$(sk inspect --raw "docker://$R/$PD_REPO/multi@$child" | jq -r .config.digest)
        assert_eq "$(tiny_config "$tag")" "$cfg" "$arch child's config blob"
        reg_curl -f "http://$R/v2/$PD_REPO/multi/blobs/$cfg" | cmp - "$(blob_path "$E2E_IMAGES/tiny" "$cfg")" \
            || die "$arch config blob served differs from the source's"
        assert_eq "$arch" "$(sk inspect --config "docker://$R/$PD_REPO/multi@$child" | jq -r .architecture)" "$arch config fetched"
    done
    echo "$pushed" > "$E2E_WORK/podman-multi.digest"
}

podman_pull_multi() {
    local ref=$R/$PD_REPO/multi:latest a id
    podman_ rmi -a -f > /dev/null
    podman_ pull --tls-verify=false "$ref"
    a=$(podman_ image inspect --format '{{.Architecture}}' "$ref")
    assert_eq amd64 "$a" "architecture chosen from the index on this host"
    id=$(podman_ image inspect --format '{{.Id}}' "$ref")
    assert_eq "$(tiny_config latest)" "sha256:${id#sha256:}" "image is the amd64 child"
    assert_eq "$(cat "$E2E_WORK/podman-multi.digest")" "$(podman_ image inspect --format '{{.Digest}}' "$ref")" "image digest recorded = index digest"
    podman_ rmi -a -f > /dev/null
    podman_ pull --tls-verify=false --arch arm64 "$ref"
    a=$(podman_ image inspect --format '{{.Architecture}}' "$ref")
    assert_eq arm64 "$a" "architecture with --arch arm64"
    id=$(podman_ image inspect --format '{{.Id}}' "$ref")
    assert_eq "$(tiny_config arm64)" "sha256:${id#sha256:}" "image is the arm64 child"
}

# The checks run_podman runs (e2e/run fails the section when another number ran).
PODMAN_CHECKS=$((5 + $(if_token 1)))
run_podman() {
    check_main "podman: installed, private storage ready" podman_prepare
    note "podman/buildah storage driver: ${E2E_STORAGE_DRIVER:-?}, root $E2E_WORK/containers/root"
    if [ -n "${WHARF_E2E_TOKEN:-}" ]; then
        check "podman: login" podman_login
    fi
    clear_blob_info_cache
    check "podman: push (digest reported = digest served, blob bytes)"  podman_push
    check "podman: rmi, pull back (same digest, image ID, saved bytes)" podman_pull
    check "podman: manifest create/add/push --all (amd64 + arm64)"      podman_multi
    check "podman: pull multi-arch index (amd64 default, --arch arm64)" podman_pull_multi
}
