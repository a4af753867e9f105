#!/usr/bin/env bash
# Build the end-to-end test images as OCI image layouts under DIR, without any daemon.
#
#   e2e/build-images.sh DIR
#
# Produces (each an OCI layout directory, reference "DIR/<name>:<tag>"):
#   DIR/tiny    tags "latest" (linux/amd64) and "arm64" (linux/arm64 label, same busybox, own marker layer)
#   DIR/multi   tag  "latest": an OCI image index over the two tiny manifests (amd64 + arm64)
#   DIR/debian  tag  "bookworm": a Debian bookworm minbase root filesystem (debootstrap, ~50 MB layer)
#   DIR/big     tag  "latest": 4 layers of random, incompressible data (~300 MiB), hand-written JSON
#
# Built layouts are cached: DIR/<name>.done holds the recipe version, and an image whose marker matches
# is not rebuilt. Delete DIR (or one DIR/<name>.done) to force a rebuild.
#
# The Debian mirror is read from this machine's apt sources at run time (never hard-coded).
set -euo pipefail

RECIPE_VERSION=2          # bump when a recipe below changes, so caches are rebuilt

usage() { echo "usage: $0 DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
OUT=$1
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

log() { printf '[build-images] %s\n' "$*" >&2; }

is_done() { [ -f "$OUT/$1.done" ] && [ "$(cat "$OUT/$1.done")" = "$RECIPE_VERSION" ] && [ -f "$OUT/$1/index.json" ]; }
mark_done() { echo "$RECIPE_VERSION" > "$OUT/$1.done"; }

# A scratch directory for one image; removed (after unmounting anything left under it) on exit.
SCRATCH=""
cleanup() {
    if [ -n "$SCRATCH" ] && [ -d "$SCRATCH" ]; then
        # debootstrap mounts proc/sys inside the target; make sure nothing is left mounted before rm -rf
        awk -v p="$SCRATCH" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
            umount -l "$m" 2>/dev/null || true
        done
        rm -rf "$SCRATCH"
    fi
}
trap cleanup EXIT

new_scratch() {
    cleanup
    SCRATCH=$(mktemp -d "$OUT/.build.XXXXXX")
}

# Replace DIR/<name> by the freshly built layout at $1 atomically enough for a cache.
install_layout() { # SRC NAME
    rm -rf "${OUT:?}/$2" "${OUT:?}/$2.done"
    mv "$1" "$OUT/$2"
    mark_done "$2"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# Put a file into an OCI layout's blob store; prints its digest ("sha256:<hex>").
add_blob() { # LAYOUT FILE
    local hex
    hex=$(sha256_of "$2")
    mkdir -p "$1/blobs/sha256"
    mv "$2" "$1/blobs/sha256/$hex"
    echo "sha256:$hex"
}

# Manifest descriptor of tag TAG in layout LAYOUT, as compact JSON.
layout_desc() { # LAYOUT TAG
    jq -ce --arg t "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)' "$1/index.json"
}

# ---------------------------------------------------------------------------------------------------
# Debian mirror from the machine's apt sources (deb822 *.sources first, then sources.list).
debian_mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # A stanza is a blank-line separated block; pick the first "Types: deb" stanza whose Suites
        # include bookworm (or stable) exactly, not bookworm-security and print its first URI.
        uri=$(awk '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ / (bookworm|stable) / && uris != "") {
                    split(uris, u, " "); print u[1]; found = 1; exit
                }
                types = ""; suites = ""; uris = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            tolower($1) == "types:"  { $1 = ""; types = $0 }
            tolower($1) == "suites:" { $1 = ""; suites = $0 }
            tolower($1) == "uris:"   { $1 = ""; uris = $0 }
            END { if (!found) flush() }
        ' "$f" | sed 's/^ *//')
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [options] URI SUITE COMPONENTS...
        uri=$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && ($3 == "bookworm" || $3 == "stable") { print $2; exit }')
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    return 1
}

# ---------------------------------------------------------------------------------------------------
build_tiny() {
    is_done tiny && is_done multi && { log "tiny, multi: cached"; return 0; }
    log "tiny: building (busybox, amd64 + arm64 label) with umoci"
    new_scratch
    local L=$SCRATCH/tiny B=$SCRATCH/bundle B2=$SCRATCH/bundle-arm64 busybox
    busybox=$(command -v busybox)
    if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
        [ -x /bin/busybox ] && busybox=/bin/busybox
    fi
    umoci init --layout "$L"
    umoci new --image "$L:latest"
    umoci unpack --image "$L:latest" "$B"
    mkdir -p "$B/rootfs/bin" "$B/rootfs/etc" "$B/rootfs/tmp"
    cp "$busybox" "$B/rootfs/bin/busybox"
    chmod 0755 "$B/rootfs/bin/busybox"
    ln -s busybox "$B/rootfs/bin/sh"
    echo amd64 > "$B/rootfs/etc/e2e-arch"
    umoci repack --image "$L:latest" "$B"
    umoci config --image "$L:latest" --config.cmd /bin/sh --architecture amd64 --os linux \
        --config.label org.opencontainers.image.title=wharf-e2e-tiny
    # arm64-labelled variant: same busybox layer, plus a small layer that differs, arch arm64
    umoci config --image "$L:latest" --tag arm64 --architecture arm64 --os linux
    umoci unpack --image "$L:arm64" "$B2"
    echo arm64 > "$B2/rootfs/etc/e2e-arch"
    umoci repack --image "$L:arm64" "$B2"
    umoci gc --layout "$L"

    # multi: an OCI image index over both tiny manifests (hand-written index blob)
    local M=$SCRATCH/multi amd arm idx
    mkdir -p "$M/blobs/sha256"
    cp "$L/oci-layout" "$M/oci-layout"
    cp "$L"/blobs/sha256/* "$M/blobs/sha256/"
    amd=$(layout_desc "$L" latest | jq -c '{mediaType, digest, size, platform: {architecture: "amd64", os: "linux"}}')
    arm=$(layout_desc "$L" arm64 | jq -c '{mediaType, digest, size, platform: {architecture: "arm64", os: "linux"}}')
    jq -cn --argjson a "$amd" --argjson b "$arm" \
        '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [$a, $b]}' \
        > "$SCRATCH/index-blob.json"
    local isize
    isize=$(size_of "$SCRATCH/index-blob.json")
    idx=$(add_blob "$M" "$SCRATCH/index-blob.json")
    jq -cn --arg d "$idx" --argjson s "$isize" '{schemaVersion: 2, manifests: [{
        mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
        annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' > "$M/index.json"

    install_layout "$L" tiny
    install_layout "$M" multi
    log "tiny, multi: done"
}

build_debian() {
    is_done debian && { log "debian: cached"; return 0; }
    local mirror
    mirror=$(debian_mirror) || { log "debian: no bookworm mirror found in /etc/apt/sources*"; return 1; }
    log "debian: debootstrap --variant=minbase bookworm from the apt mirror (about 2 minutes)"
    new_scratch
    local R=$SCRATCH/rootfs L=$SCRATCH/debian B=$SCRATCH/bundle
    if ! debootstrap --variant=minbase bookworm "$R" "$mirror" > "$SCRATCH/debootstrap.log" 2>&1; then
        tail -n 30 "$SCRATCH/debootstrap.log" >&2
        [ -f "$R/debootstrap/debootstrap.log" ] && tail -n 30 "$R/debootstrap/debootstrap.log" >&2
        return 1
    fi
    # Make it look like a container base image: no device nodes, no package caches.
    find "$R/dev" -mindepth 1 -delete
    rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/* "$R"/var/log/* "$R"/debootstrap
    umoci init --layout "$L"
    umoci new --image "$L:bookworm"
    umoci unpack --image "$L:bookworm" "$B"
    rm -rf "$B/rootfs"
    mv "$R" "$B/rootfs"
    umoci repack --image "$L:bookworm" "$B"
    umoci config --image "$L:bookworm" --config.cmd /bin/bash --architecture amd64 --os linux \
        --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    umoci gc --layout "$L"
    install_layout "$L" debian
    log "debian: done ($(du -sh "$OUT/debian" | cut -f1))"
}

build_big() {
    is_done big && { log "big: cached"; return 0; }
    log "big: 4 layers of random data (~300 MiB)"
    new_scratch
    local L=$SCRATCH/big i mib f diff digest size layers="[]" diffs="[]"
    mkdir -p "$L/blobs/sha256"
    echo '{"imageLayoutVersion":"1.0.0"}' > "$L/oci-layout"
    i=0
    for mib in 16 48 96 144; do
        i=$((i + 1))
        mkdir -p "$SCRATCH/l$i"
        head -c $((mib * 1024 * 1024)) /dev/urandom > "$SCRATCH/l$i/random-$i.bin"
        f=$SCRATCH/layer$i.tar.gz
        tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$SCRATCH/l$i" -cf - "random-$i.bin" \
            | gzip -1 -n > "$f"
        rm -rf "$SCRATCH/l$i"
        diff=sha256:$(gzip -dc "$f" | sha256sum | cut -d' ' -f1)
        size=$(size_of "$f")
        digest=$(add_blob "$L" "$f")
        layers=$(jq -c --arg d "$digest" --argjson s "$size" \
            '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<<"$layers")
        diffs=$(jq -c --arg d "$diff" '. + [$d]' <<<"$diffs")
    done
    jq -cn --argjson d "$diffs" '{architecture: "amd64", os: "linux", config: {Cmd: ["/bin/sh"]},
        rootfs: {type: "layers", diff_ids: $d},
        history: [$d[] | {created_by: "wharf e2e random layer"}]}' > "$SCRATCH/config.json"
    size=$(size_of "$SCRATCH/config.json")
    digest=$(add_blob "$L" "$SCRATCH/config.json")
    jq -cn --arg d "$digest" --argjson s "$size" --argjson l "$layers" '{schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $d, size: $s},
        layers: $l}' > "$SCRATCH/manifest.json"
    size=$(size_of "$SCRATCH/manifest.json")
    digest=$(add_blob "$L" "$SCRATCH/manifest.json")
    jq -cn --arg d "$digest" --argjson s "$size" '{schemaVersion: 2, manifests: [{
        mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
        annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' > "$L/index.json"
    install_layout "$L" big
    log "big: done ($(du -sh "$OUT/big" | cut -f1))"
}

for tool in umoci jq debootstrap gzip tar sha256sum; do
    command -v "$tool" >/dev/null || { log "missing tool: $tool (run e2e/install-deps.sh)"; exit 1; }
done

build_tiny
build_big
build_debian
cleanup
SCRATCH=""
log "all images ready in $OUT"
