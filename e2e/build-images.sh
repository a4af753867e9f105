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
#   DIR/polyglot tag "latest": 8 layers for the scanner: Alpine-like os-release + apk database, an rpm database
#               (rpmbuild + rpm --justdb), node_modules (one package removed again by a later layer's whiteout),
#               a jar with pom.properties, Python dist-info, a Go binary (golang-go), Cargo.lock, a gemspec
#   DIR/debian-big tag "latest": the debian layer + 4 random layers of 240 MiB (~1 GiB; the scan benchmark;
#               WHARF_E2E_DEBIAN_BIG=0 skips it)
#
# Built layouts are cached: DIR/<name>.done holds the recipe version, and an image whose marker matches
# is not rebuilt. Delete DIR (or one DIR/<name>.done) to force a rebuild.
#
# The Debian mirror is read from this machine's apt sources at run time (never hard-coded).
set -euo pipefail

RECIPE_VERSION=3          # bump when a recipe below changes, so caches are rebuilt

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

blob_file() { echo "$1/blobs/${2%%:*}/${2#*:}"; }
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

# ---------------------------------------------------------------------------------------------------
# Hand-assembled images: layers are directories under $SCRATCH, tarred reproducibly and gzipped.

# tar+gzip directory DIR into a layer of LAYOUT; appends to LAYERS_JSON / DIFFS_JSON.
add_dir_layer() { # LAYOUT DIR
    local f=$SCRATCH/layer.tar.gz diff size digest
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$2" -cf - . | gzip -6 -n > "$f"
    diff=sha256:$(gzip -dc "$f" | sha256sum | cut -d' ' -f1)
    size=$(size_of "$f")
    digest=$(add_blob "$1" "$f")
    LAYERS_JSON=$(jq -c --arg d "$digest" --argjson s "$size" \
        '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<<"$LAYERS_JSON")
    DIFFS_JSON=$(jq -c --arg d "$diff" '. + [$d]' <<<"$DIFFS_JSON")
}

# Write config, manifest and index.json (one tag) for the layers added so far.
finish_layout() { # LAYOUT TAG ARCH
    local L=$1 size digest
    jq -cn --argjson d "$DIFFS_JSON" --arg a "$3" '{architecture: $a, os: "linux", config: {Cmd: ["/bin/sh"]},
        rootfs: {type: "layers", diff_ids: $d},
        history: [$d[] | {created_by: "wharf e2e layer"}]}' > "$SCRATCH/config.json"
    size=$(size_of "$SCRATCH/config.json")
    digest=$(add_blob "$L" "$SCRATCH/config.json")
    jq -cn --arg d "$digest" --argjson s "$size" --argjson l "$LAYERS_JSON" '{schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $d, size: $s},
        layers: $l}' > "$SCRATCH/manifest.json"
    size=$(size_of "$SCRATCH/manifest.json")
    digest=$(add_blob "$L" "$SCRATCH/manifest.json")
    jq -cn --arg d "$digest" --argjson s "$size" --arg t "$2" '{schemaVersion: 2, manifests: [{
        mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
        annotations: {"org.opencontainers.image.ref.name": $t}}]}' > "$L/index.json"
}

new_layout() { # LAYOUT
    mkdir -p "$1/blobs/sha256"
    echo '{"imageLayoutVersion":"1.0.0"}' > "$1/oci-layout"
    LAYERS_JSON="[]"
    DIFFS_JSON="[]"
}

# An rpm database (SQLite, Debian's rpm 4.18) at DIR/var/lib/rpm with trivial packages made by rpmbuild.
make_rpmdb() { # DIR
    local top=$SCRATCH/rpmbuild db=$1/var/lib/rpm n v r spec
    mkdir -p "$top" "$db"
    # name version release: real Rocky/RHEL 9 package versions (metadata only: the packages hold no files)
    while read -r n v r; do
        spec=$top/$n.spec
        printf 'Name: %s\nVersion: %s\nRelease: %s\nSummary: wharf e2e fixture\nLicense: MIT\nBuildArch: x86_64\n%%description\nfixture\n%%files\n' \
            "$n" "$v" "$r" > "$spec"
        rpmbuild -bb --quiet --define "_topdir $top" --define '_build_id_links none' "$spec" > "$top/$n.log" 2>&1 \
            || { tail -n 20 "$top/$n.log" >&2; return 1; }
    done <<'PKGS'
zlib 1.2.11 40.el9
openssl-libs 3.0.7 24.el9
bash 5.1.8 6.el9_1
PKGS
    rpm --initdb --dbpath "$db"
    rpm -i --justdb --nodeps --noscripts --dbpath "$db" "$top"/RPMS/x86_64/*.rpm 2> /dev/null
    rm -f "$db"/.rpm.lock "$db"/rpmdb.sqlite-shm "$db"/rpmdb.sqlite-wal
    [ -s "$db/rpmdb.sqlite" ] && [ "$(rpm -qa --dbpath "$db" 2>/dev/null | wc -l)" = 3 ]
}

# A static Go binary (stdlib only) built offline with Debian's golang-go; its build info names the Go version.
make_go_binary() { # OUT
    local src=$SCRATCH/gosrc
    mkdir -p "$src"
    printf 'module example.com/wharf-e2e-hello\n\ngo 1.19\n' > "$src/go.mod"
    printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from wharf e2e") }\n' > "$src/main.go"
    (cd "$src" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOPROXY=off GOTOOLCHAIN=local GOCACHE=$SCRATCH/gocache \
        GOPATH=$SCRATCH/gopath go build -trimpath -o "$1" .)
}

# A jar holding only Maven metadata (pom.properties, MANIFEST.MF) of log4j-core 2.14.1: not the real code.
make_jar() { # OUT
    local d=$SCRATCH/jar
    mkdir -p "$d/META-INF/maven/org.apache.logging.log4j/log4j-core"
    printf 'Manifest-Version: 1.0\r\nImplementation-Title: Apache Log4j Core\r\nImplementation-Version: 2.14.1\r\nImplementation-Vendor-Id: org.apache.logging.log4j\r\n\r\n' \
        > "$d/META-INF/MANIFEST.MF"
    printf 'version=2.14.1\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\n' \
        > "$d/META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties"
    (cd "$d" && TZ=UTC find . -exec touch -d @0 {} + && zip -q -X -r "$1" META-INF)
}

npm_pkg() { # DIR NAME VERSION
    mkdir -p "$1/$2"
    jq -n --arg n "$2" --arg v "$3" '{name: $n, version: $v, license: "MIT", main: "index.js"}' > "$1/$2/package.json"
    echo "module.exports = {};" > "$1/$2/index.js"
}

dist_info() { # SITE NAME VERSION
    local d=$1/$2-$3.dist-info
    mkdir -p "$d"
    printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: wharf e2e fixture\nLicense: Apache 2.0\n' "$2" "$3" > "$d/METADATA"
    printf 'Wheel-Version: 1.0\nGenerator: bdist_wheel (0.36.2)\nRoot-Is-Purelib: true\nTag: py3-none-any\n' > "$d/WHEEL"
    printf '%s\n' "$2" > "$d/top_level.txt"
    printf '%s-%s.dist-info/METADATA,,\n' "$2" "$3" > "$d/RECORD"
}

# polyglot: an Alpine-like base and one layer per package ecosystem, plus a whiteout. See e2e/fixtures/osv/README.md
# for the advisories that match (and must not match) these versions.
build_polyglot() {
    is_done polyglot && { log "polyglot: cached"; return 0; }
    log "polyglot: apk, rpm, npm (+ whiteout), jar, Python, Go, Cargo, gem layers"
    new_scratch
    local L=$SCRATCH/polyglot B=$SCRATCH/l busybox
    new_layout "$L"
    busybox=$(command -v busybox)
    file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || busybox=/bin/busybox
    # 1: base: busybox, os-release (etc/os-release a symlink, as on Alpine), apk database
    mkdir -p "$B/1/bin" "$B/1/etc" "$B/1/usr/lib" "$B/1/lib/apk/db"
    cp "$busybox" "$B/1/bin/busybox"; ln -s busybox "$B/1/bin/sh"
    printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n' \
        > "$B/1/usr/lib/os-release"
    ln -s ../usr/lib/os-release "$B/1/etc/os-release"
    echo 3.19.1 > "$B/1/etc/alpine-release"
    cat > "$B/1/lib/apk/db/installed" <<'APK'
C:Q1IwvTj1hvLYgZ8JUJd7ee3yIrtVQ=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407737
I:663552
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1703688513
c:e5ed4a2b4e8a4b3c6b0c1a3d7e0b1b5c4f7e9a21
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1kMtdrUPlBmEp7KmS4rYy/nXakrs=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1gV2CzLb6xbKRlHCH7y3/PTnmh0I=
P:libcrypto3
V:3.1.4-r0
A:x86_64
S:1745327
I:4702208
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conill <ariadne@dereferenced.org>
t:1698167382
c:5bbbe27ac1d3d3b6e0f58c7dd1e5e6b1a0c1b2d3
D:so:libc.musl-x86_64.so.1
p:so:libcrypto.so.3=3
F:usr
F:usr/lib
R:libcrypto.so.3
a:0:0:755
Z:Q1MDn8WXS8qjRWYfm2Swx3SVOrDFY=

C:Q1Pp1T3A0YwDYJ3Cvjl/BDuBQ2gCM=
P:libssl3
V:3.1.4-r0
A:x86_64
S:349814
I:802816
T:SSL shared libraries
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conill <ariadne@dereferenced.org>
t:1698167382
c:5bbbe27ac1d3d3b6e0f58c7dd1e5e6b1a0c1b2d3
D:so:libc.musl-x86_64.so.1 so:libcrypto.so.3
p:so:libssl.so.3=3
F:usr
F:usr/lib
R:libssl.so.3
a:0:0:755
Z:Q1lm9iuBE9W1m2+1O07x1lXGhYzWg=

C:Q1vvIPhKXRrn7RVO4TPpjkHWHoG+4=
P:zlib
V:1.3-r2
A:x86_64
S:53538
I:110592
T:A compression/decompression Library
U:https://zlib.net/
L:Zlib
o:zlib
m:Natanael Copa <ncopa@alpinelinux.org>
t:1698074568
c:1cd12a8e4c0e3d3d4b4b4e7f5e2c5b7a9c8d7e6f
D:so:libc.musl-x86_64.so.1
p:so:libz.so.1=1.3
F:lib
R:libz.so.1.3
a:0:0:755
Z:Q1l6Q7+7rUOY7yTZqH6cK6BBIgkes=

APK
    # 2: an rpm database (SQLite) with three packages
    make_rpmdb "$B/2"
    # 3: node_modules (lodash, minimist, node-fetch); 4: node-fetch removed by a whiteout
    mkdir -p "$B/3/app/node_modules"
    jq -n '{name: "wharf-e2e-app", version: "1.0.0", private: true,
        dependencies: {lodash: "4.17.20", minimist: "1.2.5", "node-fetch": "2.6.0"}}' > "$B/3/app/package.json"
    npm_pkg "$B/3/app/node_modules" lodash 4.17.20
    npm_pkg "$B/3/app/node_modules" minimist 1.2.5
    npm_pkg "$B/3/app/node_modules" node-fetch 2.6.0
    mkdir -p "$B/4/app/node_modules"
    : > "$B/4/app/node_modules/.wh.node-fetch"
    # 5: a jar with log4j-core 2.14.1's Maven metadata
    mkdir -p "$B/5/app/lib"
    make_jar "$B/5/app/lib/log4j-core-2.14.1.jar"
    # 6: Python site-packages
    mkdir -p "$B/6/usr/lib/python3.11/site-packages"
    dist_info "$B/6/usr/lib/python3.11/site-packages" requests 2.25.0
    dist_info "$B/6/usr/lib/python3.11/site-packages" urllib3 1.26.4
    # 7: a Go binary
    mkdir -p "$B/7/usr/local/bin"
    make_go_binary "$B/7/usr/local/bin/wharf-e2e-hello"
    # 8: a Cargo.lock and a gemspec
    mkdir -p "$B/8/app/rust" "$B/8/usr/lib/ruby/gems/3.2.0/specifications"
    cat > "$B/8/app/rust/Cargo.lock" <<'CARGO'
# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 3

[[package]]
name = "smallvec"
version = "1.6.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "1a55ca5f3b68e41c979bf8c46a6f1da892ca4db8f94023ce0bd32407573b1ac0"

[[package]]
name = "wharf-e2e-app"
version = "0.1.0"
dependencies = [
 "smallvec",
]
CARGO
    cat > "$B/8/usr/lib/ruby/gems/3.2.0/specifications/rack-2.2.3.gemspec" <<'GEM'
# -*- encoding: utf-8 -*-
# stub: rack 2.2.3 ruby lib

Gem::Specification.new do |s|
  s.name = "rack".freeze
  s.version = "2.2.3"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Leah Neukirchen".freeze]
  s.date = "2020-06-15"
  s.summary = "a modular Ruby webserver interface".freeze
  s.homepage = "https://github.com/rack/rack".freeze
  s.licenses = ["MIT".freeze]
end
GEM
    local i
    for i in 1 2 3 4 5 6 7 8; do add_dir_layer "$L" "$B/$i"; done
    finish_layout "$L" latest amd64
    install_layout "$L" polyglot
    log "polyglot: done ($(du -sh "$OUT/polyglot" | cut -f1), 8 layers)"
}

# debian-big: the debian image's layer and 4 layers of random data (~1 GiB in all), for the scan benchmark.
build_debian_big() {
    is_done debian-big && { log "debian-big: cached"; return 0; }
    is_done debian || { log "debian-big: needs debian"; return 1; }
    log "debian-big: the debian layer + 4 random layers (~1 GiB)"
    new_scratch
    local L=$SCRATCH/debian-big D=$OUT/debian m cfg i
    new_layout "$L"
    m=$(blob_file "$D" "$(layout_desc "$D" bookworm | jq -r .digest)")
    cfg=$(blob_file "$D" "$(jq -r .config.digest "$m")")
    cp "$(blob_file "$D" "$(jq -r '.layers[0].digest' "$m")")" "$L/blobs/sha256/"
    LAYERS_JSON=$(jq -c '[.layers[0]]' "$m")
    DIFFS_JSON=$(jq -c '[.rootfs.diff_ids[0]]' "$cfg")
    for i in 1 2 3 4; do
        mkdir -p "$SCRATCH/r$i/opt/data"
        head -c $((240 * 1024 * 1024)) /dev/urandom > "$SCRATCH/r$i/opt/data/random-$i.bin"
        add_dir_layer "$L" "$SCRATCH/r$i"
        rm -rf "$SCRATCH/r$i"
    done
    finish_layout "$L" latest amd64
    install_layout "$L" debian-big
    log "debian-big: done ($(du -sh "$OUT/debian-big" | cut -f1))"
}

for tool in umoci jq debootstrap gzip tar sha256sum; do
    command -v "$tool" >/dev/null || { log "missing tool: $tool (run e2e/install-deps.sh)"; exit 1; }
done

build_tiny
build_big
build_debian
for tool in rpmbuild rpm go zip; do
    command -v "$tool" >/dev/null || { log "missing tool: $tool (run e2e/install-deps.sh)"; exit 1; }
done
build_polyglot
[ "${WHARF_E2E_DEBIAN_BIG:-1}" = 0 ] || build_debian_big
cleanup
SCRATCH=""
log "all images ready in $OUT"
