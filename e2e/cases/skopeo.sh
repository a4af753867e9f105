# shellcheck shell=bash
# skopeo: OCI layouts in and out byte for byte, v2s2 conversion, multi-arch index, registry-to-registry
# copy with cross-repo mount, inspect, list-tags, sync, delete.

SK_REPO=e2e/skopeo

# Push layout IMAGE:TAG to REPO:RTAG; the registry must serve exactly the layout's manifest bytes.
skopeo_push_layout() { # IMAGE TAG REF(repo:tag)
    local want got
    want=$(layout_digest "$E2E_IMAGES/$1" "$2")
    sk_copy --preserve-digests "oci:$E2E_IMAGES/$1:$2" "docker://$R/$3"
    got=$(raw_digest "$R/$3")
    assert_eq "$want" "$got" "manifest digest served by the registry"
}

# Pull REF back into a new OCI layout; manifest and every blob must be byte-identical to the source.
skopeo_pull_layout() { # IMAGE TAG REF [--all]
    local out=$E2E_WORK/back/skopeo-$1
    rm -rf "$out"; mkdir -p "$E2E_WORK/back"
    local extra=()
    if [ -n "${4:-}" ]; then extra=("$4"); fi
    sk_copy --preserve-digests "${extra[@]}" "docker://$R/$3" "oci:$out:$2"
    assert_layouts_identical "$E2E_IMAGES/$1" "$2" "$out" "$2"
}

skopeo_v2s2() {
    local ref=$R/$SK_REPO/tiny:v2s2 m oci dir=$E2E_WORK/back/skopeo-v2s2 d
    sk_copy --format v2s2 "oci:$E2E_IMAGES/tiny:latest" "docker://$ref"
    m=$E2E_WORK/v2s2-manifest.json
    sk inspect --raw "docker://$ref" > "$m"
    cat "$m"; echo
    assert_eq application/vnd.docker.distribution.manifest.v2+json "$(jq -r .mediaType "$m")" "manifest mediaType"
    assert_eq application/vnd.docker.container.image.v1+json "$(jq -r .config.mediaType "$m")" "config mediaType"
    assert_eq application/vnd.docker.image.rootfs.diff.tar.gzip "$(jq -r '[.layers[].mediaType] | unique | join(",")' "$m")" "layer mediaType"
    # Conversion renames media types only: config and layer blobs are the OCI layout's own.
    oci=$(blob_path "$E2E_IMAGES/tiny" "$(layout_digest "$E2E_IMAGES/tiny" latest)")
    assert_eq "$(jq -c '[.config.digest, .layers[].digest]' "$oci")" "$(jq -c '[.config.digest, .layers[].digest]' "$m")" "config + layer digests"
    # The registry answers a v2s2 Accept with that Content-Type and the manifest's digest.
    reg_curl -D "$E2E_WORK/v2s2-headers" -o "$E2E_WORK/v2s2-body" \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$R/v2/$SK_REPO/tiny/manifests/v2s2"
    tr -d '\r' < "$E2E_WORK/v2s2-headers" > "$E2E_WORK/v2s2-headers.txt"
    cat "$E2E_WORK/v2s2-headers.txt"
    cmp "$m" "$E2E_WORK/v2s2-body" || die "GET body differs from skopeo inspect --raw"
    d=sha256:$(sha256sum < "$m" | cut -d' ' -f1)
    assert_contains "$E2E_WORK/v2s2-headers.txt" "^[Cc]ontent-[Tt]ype: application/vnd\.docker\.distribution\.manifest\.v2\+json" "Content-Type header"
    assert_contains "$E2E_WORK/v2s2-headers.txt" "^[Dd]ocker-[Cc]ontent-[Dd]igest: $d\$" "Docker-Content-Digest header"
    # Pull it back unconverted (dir: keeps the manifest bytes) and compare blobs with the layout's.
    rm -rf "$dir"
    sk_copy --preserve-digests "docker://$ref" "dir:$dir"
    cmp "$m" "$dir/manifest.json" || die "pulled manifest differs"
    local blobs n=0
    blobs=$(jq -er '.config.digest, .layers[].digest' "$m")
    for d in $blobs; do
        cmp "$(blob_path "$E2E_IMAGES/tiny" "$d")" "$dir/${d#sha256:}" || die "blob $d differs"
        n=$((n + 1))
    done
    [ "$n" -ge 2 ] || die "only $n blobs in the v2s2 manifest"
    echo "ok: v2s2 manifest and $n blobs pulled back byte-identical"
}

skopeo_multi() {
    local ref=$R/$SK_REPO/multi:latest want got idx c n=0 arch
    want=$(layout_digest "$E2E_IMAGES/multi" latest)
    sk_copy --all --preserve-digests "oci:$E2E_IMAGES/multi:latest" "docker://$ref"
    got=$(raw_digest "$ref")
    assert_eq "$want" "$got" "index digest"
    idx=$(blob_path "$E2E_IMAGES/multi" "$want")
    for c in $(jq -r '.manifests[].digest' "$idx"); do
        got=$(raw_digest "$R/$SK_REPO/multi@$c")
        assert_eq "$c" "$got" "child manifest fetched by digest"
        n=$((n + 1))
    done
    assert_eq 2 "$n" "children"
    local SK_GLOBAL=(--override-arch arm64)
    arch=$(sk inspect "docker://$ref" | jq -r .Architecture)
    assert_eq arm64 "$arch" "platform resolution with --override-arch arm64"
}

skopeo_r2r() {
    # The blob-info cache knows the debian layer is in $SK_REPO/debian (pushed above), so skopeo tries
    # POST /v2/<dest>/blobs/uploads/?mount=<digest>&from=<src>; "mount OK" is its log of a 201 answer.
    local want got log=$E2E_WORK/skopeo-r2r.log
    want=$(layout_digest "$E2E_IMAGES/debian" bookworm)
    local SK_GLOBAL=(--debug)
    sk_copy --preserve-digests "docker://$R/$SK_REPO/debian:bookworm" "docker://$R/$SK_REPO/debian-copy:bookworm" > "$log" 2>&1 \
        || { tail -n 40 "$log"; die "copy failed"; }
    grep -E 'mount|POST|PUT|PATCH' "$log" | cut -c1-240 || true   # shown for the log only; the asserts below decide
    # shellcheck disable=SC2034  # read by sk/sk_copy (dynamic scope)
    SK_GLOBAL=()
    got=$(raw_digest "$R/$SK_REPO/debian-copy:bookworm")
    assert_eq "$want" "$got" "digest after registry-to-registry copy"
    assert_contains "$log" 'Trying to mount .*from=' "skopeo attempted a cross-repo mount"
    assert_contains "$log" 'mount OK' "registry accepted the cross-repo mount (201)"
}

skopeo_repush() {
    # Pushing an image that is already there: HEAD finds every blob (200), nothing is uploaded, and the
    # manifest PUT is idempotent.
    local want got log=$E2E_WORK/skopeo-repush.log
    want=$(layout_digest "$E2E_IMAGES/tiny" latest)
    local SK_GLOBAL=(--debug)
    sk_copy --preserve-digests "oci:$E2E_IMAGES/tiny:latest" "docker://$R/$SK_REPO/tiny:latest" > "$log" 2>&1 \
        || { tail -n 40 "$log"; die "copy failed"; }
    # shellcheck disable=SC2034  # read by sk/sk_copy (dynamic scope)
    SK_GLOBAL=()
    grep -E 'HEAD|POST|PUT|PATCH|already' "$log" | cut -c1-240 || true   # shown for the log only; the asserts below decide
    assert_contains "$log" 'Skipping blob sha256:.*already present' "blobs detected as present (HEAD 200)"
    if grep -q 'POST .*/blobs/uploads/' "$log"; then die "an upload was started although every blob exists"; fi
    got=$(raw_digest "$R/$SK_REPO/tiny:latest")
    assert_eq "$want" "$got" "digest after re-push"
}

skopeo_inspect() {
    local j=$E2E_WORK/skopeo-inspect.json m nl
    sk inspect "docker://$R/$SK_REPO/tiny:latest" > "$j"
    cat "$j"
    assert_eq "$(layout_digest "$E2E_IMAGES/tiny" latest)" "$(jq -r .Digest "$j")" "Digest"
    assert_eq amd64 "$(jq -r .Architecture "$j")" "Architecture"
    assert_eq linux "$(jq -r .Os "$j")" "Os"
    assert_eq wharf-e2e-tiny "$(jq -r '.Labels["org.opencontainers.image.title"]' "$j")" "label from the config blob"
    m=$(blob_path "$E2E_IMAGES/tiny" "$(layout_digest "$E2E_IMAGES/tiny" latest)")
    assert_eq "$(jq -c '[.layers[].digest]' "$m")" "$(jq -c .Layers "$j")" "Layers"
    nl=$(jq -r '.RepoTags | index("latest")' "$j")
    [ "$nl" != null ] || die "RepoTags does not list latest"
}

skopeo_list_tags() {
    local repo=$SK_REPO/tags t got want
    for t in 1.0 1.0.1 latest v2_rc-1 Zeta; do
        sk_copy "oci:$E2E_IMAGES/tiny:latest" "docker://$R/$repo:$t"
    done
    want="1.0 1.0.1 Zeta latest v2_rc-1"
    got=$(sk list-tags "docker://$R/$repo" | jq -r '.Tags[]' | LC_ALL=C sort | xargs)
    assert_eq "$(tr ' ' '\n' <<<"$want" | LC_ALL=C sort | xargs)" "$got" "tags listed"
}

skopeo_sync() {
    local dest=$E2E_WORK/sync d t n=0
    rm -rf "$dest"; mkdir -p "$dest"
    sk_copy sync --src docker --dest dir "$R/$SK_REPO/tags" "$dest"
    find "$dest" -maxdepth 3 -name manifest.json | sort
    for t in 1.0 1.0.1 latest v2_rc-1 Zeta; do
        d=$(find "$dest" -type d -name "tags:$t" | head -n 1)
        [ -n "$d" ] || die "tag $t not synced"
        assert_eq "$(layout_digest "$E2E_IMAGES/tiny" latest)" "sha256:$(sha256sum < "$d/manifest.json" | cut -d' ' -f1)" "synced manifest of $t"
        n=$((n + 1))
    done
    assert_eq 5 "$n" "tags synced"
}

skopeo_delete() {
    local ref=$R/$SK_REPO/delete:doomed d
    sk_copy "oci:$E2E_IMAGES/tiny:arm64" "docker://$ref"
    d=$(raw_digest "$ref")
    sk delete "docker://$ref"
    assert_fails "inspect by tag after delete" sk inspect --raw "docker://$ref"
    assert_fails "inspect by digest after delete" sk inspect --raw "docker://$R/$SK_REPO/delete@$d"
    # ... and failed because the manifest is gone, not for any other reason
    local r
    for r in doomed "$d"; do
        assert_eq 404 "$(reg_curl -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
            "http://$R/v2/$SK_REPO/delete/manifests/$r")" "GET manifests/$r after delete"
    done
    # The tag list no longer has it: 200 without the tag, or 404 NAME_UNKNOWN for a repository left
    # with no tags (Distribution). Any other answer is a failure, not "no longer listed".
    local body=$E2E_WORK/skopeo-delete-tags.json code
    code=$(reg_curl -o "$body" -w '%{http_code}' "http://$R/v2/$SK_REPO/delete/tags/list")
    cat "$body"; echo
    case $code in
        200) jq -e '(.tags // []) | type == "array"' "$body" > /dev/null || die "tags/list body is not a tag list"
             if jq -e '.tags // [] | any(.[]; . == "doomed")' "$body" > /dev/null; then die "tag still listed after delete"; fi ;;
        404) jq -e '.errors[0].code == "NAME_UNKNOWN"' "$body" > /dev/null || die "404 without NAME_UNKNOWN" ;;
        *) die "tags/list after delete answered HTTP $code" ;;
    esac
    echo "ok: tag no longer listed (HTTP $code)"
}

# The checks run_skopeo runs (e2e/run fails the section when another number ran).
SKOPEO_CHECKS=15
run_skopeo() {
    clear_blob_info_cache     # fresh pushes below must really upload, not mount from a previous run
    check "skopeo: push tiny OCI layout, manifest digest preserved"        skopeo_push_layout tiny latest "$SK_REPO/tiny:latest"
    check "skopeo: pull tiny back to a new OCI layout, byte-identical"     skopeo_pull_layout tiny latest "$SK_REPO/tiny:latest"
    check "skopeo: push debian bookworm layout, manifest digest preserved" skopeo_push_layout debian bookworm "$SK_REPO/debian:bookworm"
    check "skopeo: pull debian back, byte-identical"                       skopeo_pull_layout debian bookworm "$SK_REPO/debian:bookworm"
    check "skopeo: push big (~300 MiB, 4 random layers), digest preserved" skopeo_push_layout big latest "$SK_REPO/big:latest"
    check "skopeo: pull big back, byte-identical"                          skopeo_pull_layout big latest "$SK_REPO/big:latest"
    check "skopeo: push --format v2s2 (media types, headers, blobs)"       skopeo_v2s2
    check "skopeo: copy --all multi-arch OCI index, children by digest"    skopeo_multi
    check "skopeo: pull multi-arch index back (--all), byte-identical"     skopeo_pull_layout multi latest "$SK_REPO/multi:latest" --all
    check "skopeo: registry-to-registry copy uses cross-repo mount"        skopeo_r2r
    check "skopeo: re-push of an existing image (blobs already exist)"     skopeo_repush
    check "skopeo: inspect (digest, arch, os, labels, layers, tags)"       skopeo_inspect
    check "skopeo: list-tags"                                              skopeo_list_tags
    check "skopeo: sync a repository to dir:"                              skopeo_sync
    check "skopeo: delete, then the manifest is gone"                      skopeo_delete
}
