# shellcheck shell=bash
# buildah: an image from scratch with a static busybox, commit, push (OCI and Docker formats), pulled back
# with skopeo: same digest, and the busybox inside is the very file that went in.

BH_REPO=e2e/buildah

buildah_prepare() {
    choose_storage_driver
    buildah_ version
    BUSYBOX=/bin/busybox
    if ! file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked'; then
        BUSYBOX=$(command -v busybox)
    fi
    [ -x "$BUSYBOX" ] || { echo "no busybox binary (install busybox-static)" >&2; return 1; }
}

buildah_login() {
    printf '%s' "$WHARF_E2E_TOKEN" | buildah_ login --tls-verify=false -u "$WHARF_E2E_USER" --password-stdin "$R"
}

buildah_build() {
    local c
    c=$(buildah_ from scratch)
    echo "working container: $c"
    buildah_ copy "$c" "$BUSYBOX" /bin/busybox
    buildah_ config --cmd '["/bin/busybox","sh"]' --arch amd64 --os linux \
        --label org.opencontainers.image.title=wharf-e2e-buildah "$c"
    buildah_ commit --rm "$c" localhost/wharf-e2e-bb:1
    buildah_ images localhost/wharf-e2e-bb:1
}

# Push FORMAT (oci|docker) to REF, compare digests, pull back with skopeo into dir: and compare the
# busybox inside the (single) layer with the original.
buildah_push_and_verify() { # FORMAT TAG
    local fmt=$1 ref=$R/$BH_REPO/bb:$2 pushed got dir=$E2E_WORK/back/buildah-$1 m layer mt
    buildah_ push --tls-verify=false --format "$fmt" --digestfile "$E2E_WORK/buildah-$fmt.digest" \
        localhost/wharf-e2e-bb:1 "docker://$ref"
    pushed=$(cat "$E2E_WORK/buildah-$fmt.digest")
    got=$(raw_digest "$ref")
    assert_eq "$pushed" "$got" "digest buildah reported vs. served"
    rm -rf "$dir"; mkdir -p "$E2E_WORK/back"
    sk_copy --preserve-digests "docker://$ref" "dir:$dir"
    m=$dir/manifest.json
    assert_eq "$pushed" "sha256:$(sha256sum < "$m" | cut -d' ' -f1)" "digest of the manifest pulled back"
    case $fmt in
        oci) mt=application/vnd.oci.image.manifest.v1+json ;;
        docker) mt=application/vnd.docker.distribution.manifest.v2+json ;;
    esac
    # buildah's OCI manifests may omit mediaType (allowed by the OCI spec); Docker ones carry it.
    assert_eq "$mt" "$(jq -r ".mediaType // \"$mt\"" "$m")" "manifest media type"
    assert_eq 1 "$(jq '.layers | length' "$m")" "layers"
    layer=$dir/$(jq -r '.layers[0].digest | sub("^sha256:"; "")' "$m")
    tar -xzOf "$layer" bin/busybox > "$dir/busybox.out" 2>/dev/null \
        || tar -xOf "$layer" bin/busybox > "$dir/busybox.out"
    cmp "$BUSYBOX" "$dir/busybox.out" || die "busybox in the pulled layer differs from $BUSYBOX"
    echo "ok: busybox in the pulled layer is identical to $BUSYBOX"
    # and the registry serves the very bytes skopeo pulled
    assert_registry_blobs "$BH_REPO/bb" "$m" "$dir.served"
    for layer in $(jq -r '.config.digest, .layers[].digest | sub("^sha256:"; "")' "$m"); do
        cmp "$dir/$layer" "$dir.served/$layer" || die "blob $layer pulled differs from the one served"
    done
}

# The checks run_buildah runs (e2e/run fails the section when another number ran).
BUILDAH_CHECKS=$((4 + $(if_token 1)))
run_buildah() {
    check_main "buildah: installed, private storage ready" buildah_prepare
    if [ -n "${WHARF_E2E_TOKEN:-}" ]; then
        check "buildah: login" buildah_login
    fi
    clear_blob_info_cache
    check "buildah: from scratch + copy busybox + commit"                     buildah_build
    check "buildah: push (OCI), pull back with skopeo, digest + busybox equal" buildah_push_and_verify oci 1
    check "buildah: push --format docker (v2s2), pull back, digest equal"     buildah_push_and_verify docker 1-docker
}
