# shellcheck shell=bash
# containerd's ctr (the containerd that dockerd started; socket under its exec-root): pull --plain-http,
# pull --all-platforms of a multi-arch index, push to new repositories (image and index).

CT_REPO=e2e/ctr

ctr_ready() {
    ensure_dockerd
    ctr_ version
}

# Digest of image REF in containerd's image store.
ctr_image_digest() { ctr_ images ls | awk -v r="$1" '$1 == r { print $3 }'; }

# Every blob reachable from DIGEST in layout L must be in containerd's content store, byte-identical.
ctr_assert_content() { # LAYOUT DIGEST
    local b n=0 list
    list=$(mktemp -p "$E2E_WORK" closure.XXXXXX)
    layout_closure "$1" "$2" > "$list"
    for b in $(sort -u "$list"); do
        ctr_ content get "$b" > "$E2E_WORK/ctr-blob"
        cmp -s "$E2E_WORK/ctr-blob" "$(blob_path "$1" "$b")" || die "content $b differs or is missing"
        n=$((n + 1))
    done
    [ "$n" -ge 3 ] || die "only $n blobs in the closure of $2"
    echo "ok: $n blobs in containerd's content store, byte-identical"
}

ctr_pull() {
    local ref=$R/$CT_REPO/tiny:1 want
    want=$(layout_digest "$E2E_IMAGES/tiny" latest)
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:latest" "docker://$ref"
    ctr_images pull "$ref"
    ctr_ images ls
    assert_eq "$want" "$(ctr_image_digest "$ref")" "digest of the pulled image"
    ctr_assert_content "$E2E_IMAGES/tiny" "$want"
}

ctr_pull_all() {
    local ref=$R/$CT_REPO/multi:latest want
    want=$(layout_digest "$E2E_IMAGES/multi" latest)
    sk_copy --all --preserve-digests "oci:$E2E_IMAGES/multi:latest" "docker://$ref"
    ctr_images pull --all-platforms "$ref"
    ctr_ images ls
    assert_eq "$want" "$(ctr_image_digest "$ref")" "digest of the pulled index"
    ctr_assert_content "$E2E_IMAGES/multi" "$want"
}

ctr_push() { # SRC_REF DEST_REF EXPECTED_DIGEST [LAYOUT]
    local got c children n=0
    ctr_ images tag --force "$1" "$2"
    ctr_images push "$2"
    got=$(raw_digest "$2")
    assert_eq "$3" "$got" "digest served after ctr push"
    if [ -n "${4:-}" ]; then
        children=$(jq -er '.manifests[].digest' "$(blob_path "$4" "$3")")
        for c in $children; do
            got=$(raw_digest "${2%:*}@$c")
            assert_eq "$c" "$got" "child manifest pushed by digest"
            n=$((n + 1))
        done
        assert_eq 2 "$n" "children pushed"
    fi
}

# The checks run_ctr runs (e2e/run fails the section when another number ran).
CTR_CHECKS=5
run_ctr() {
    check_main "ctr: containerd (started by dockerd) answers" ctr_ready
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0   # without containerd the rest cannot run: e2e/run counts them missing
    check "ctr: pull --plain-http (digest and blobs identical)"        ctr_pull
    check "ctr: pull --all-platforms of a multi-arch index"           ctr_pull_all
    check "ctr: push --plain-http to a new repository"                ctr_push "$R/$CT_REPO/tiny:1" "$R/$CT_REPO/pushed:1" \
        "$(layout_digest "$E2E_IMAGES/tiny" latest)"
    check "ctr: push a multi-arch index to a new repository"          ctr_push "$R/$CT_REPO/multi:latest" "$R/$CT_REPO/multi-pushed:latest" \
        "$(layout_digest "$E2E_IMAGES/multi" latest)" "$E2E_IMAGES/multi"
}
