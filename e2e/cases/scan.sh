# shellcheck shell=bash
# scan: vulnerability scanning through the ECR API, driven by Debian's aws CLI v2 against a Wharf of its own
# (authentication on, the scan job polling every second). The flow of a real ECR user: import vulnerability
# data (`wharf vulndb import`, OSV fixtures of e2e/fixtures/osv) -> put-registry-scanning-configuration with a
# SCAN_ON_PUSH rule -> push with skopeo -> `aws ecr wait image-scan-complete` -> describe-image-scan-findings
# (expected CVEs present, negatives absent, counts) -> describe-images summary -> start-image-scan quota ->
# the SBOM through the referrers API and Wharf's API, checked against cdxgen's trivy-cdxgen (the oracle) ->
# ENHANCED scanning of the polyglot image (language findings with sourceLayerHash, whiteout) -> a multi-arch
# index -> a data update rescans continuously. Expectations for the Debian image are computed from its
# dpkg status (see e2e/fixtures/osv/README.md).

AWS=/usr/bin/aws
OSV=$REPO/e2e/fixtures/osv
SCAN_DEB_REPO=e2e/scan-debian
SCAN_POLY_REPO=e2e/scan-polyglot
SCAN_MULTI_REPO=e2e/scan-multi
: "${E2E_SCAN_TIMEOUT:=300}"      # seconds for one image's scan to complete

aws_s() {
    AWS_SHARED_CREDENTIALS_FILE=$SCAN_DATA/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$AWS" --endpoint-url "http://$SR" "$@"
}
wharf_s() { to "$REPO/bin/wharf" "$@"; }
# One ECR call signed by curl (--aws-sigv4), the raw JSON body: Debian's aws CLI 2.9 drops the fields its model
# predates (fixedInVersion, fixAvailable of enhanced findings).
ecr_raw() { # OPERATION JSON
    curl -sS --fail-with-body --max-time 60 --aws-sigv4 "aws:amz:us-east-1:ecr" \
        --user "$(sed -n 's/^aws_access_key_id *= *//p' "$SCAN_DATA/root-credentials"):$(sed -n 's/^aws_secret_access_key *= *//p' "$SCAN_DATA/root-credentials")" \
        -H "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.$1" -H 'Content-Type: application/x-amz-json-1.1' -d "$2" "http://$SR/"
}
scan_pw() { aws_s ecr get-login-password; }
# curl with the registry token (the OCI and Wharf APIs)
scan_curl() { curl -sS --max-time 60 -u "AWS:$(scan_pw)" "$@"; }
layout_manifest() { blob_path "$1" "$(layout_digest "$1" "$2")"; }

scan_start() {
    SCAN_DATA=$E2E_WORK/scan-data
    SR=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=true WHARF_SCANNING_INTERVAL=1s wharf_serve "$E2E_WORK/scan-registry.log" --listen "$SR" --data "$SCAN_DATA" &
    SCAN_PID=$!
    register_pid "$SCAN_PID" "wharf with scanning (scan section)"
    wait_http "http://$SR/v2/" "$E2E_START_TIMEOUT" "401" "$SCAN_PID"
    [ -s "$SCAN_DATA/root-credentials" ] || { echo "no $SCAN_DATA/root-credentials"; return 1; }
}

# The fixtures into the running server's data directory (one transaction per file; the withdrawn record is not
# stored). The same records again as all.zip and as a mirror directory change nothing: every record "unchanged".
advisories_in() { wharf_s vulndb status --data "$1" | awk '$1 == "advisories:" { print $2 }'; }
scan_import() {
    local v=$E2E_WORK/osv-variants n out=$E2E_WORK/scan-import.out
    wharf_s vulndb import --data "$SCAN_DATA" "$OSV/records" | tee "$out"
    n=$(advisories_in "$SCAN_DATA")
    assert_eq 32 "$n" "advisories after the import (33 records, one withdrawn)"
    "$OSV/make-variants.sh" "$v"
    wharf_s vulndb import --data "$SCAN_DATA" "$v/all.zip" | tee "$out"
    assert_contains "$out" "all.zip: 0 written, 32 unchanged" "all.zip holds the same records"
    wharf_s vulndb import --data "$SCAN_DATA" "$v/mirror" | tee "$out"
    assert_eq 32 "$(awk '/all.zip: 0 written/ { n += $4 } END { print n + 0 }' "$out")" "the mirror directory holds the same records, unchanged"
    assert_eq "$n" "$(advisories_in "$SCAN_DATA")" "advisories after the variants"
}

# The Debian tracker and Alpine secdb samples, into a data directory of their own (a short-lived Wharf makes it).
scan_import_formats() {
    local data=$E2E_WORK/scan-formats port out=$E2E_WORK/scan-formats.out
    port=$(free_port)
    wharf_serve "$E2E_WORK/scan-formats.log" --listen "127.0.0.1:$port" --data "$data" &
    SCAN_FMT_PID=$!
    # this check runs in a subshell: it stops its own server, whatever happens
    trap 'stop_pid "$SCAN_FMT_PID" "wharf for the format samples"' EXIT
    wait_http "http://127.0.0.1:$port/v2/" "$E2E_START_TIMEOUT" "200 401" "$SCAN_FMT_PID"
    wharf_s vulndb import --data "$data" "$OSV/formats/debian-tracker.json" "$OSV/formats/alpine-secdb-v3.19-main.json" | tee "$out"
    assert_contains "$out" "debian-tracker.json: 4 written" "4 tracker entries (apt, tar x2, coreutils)"
    assert_contains "$out" "alpine-secdb-v3.19-main.json: 2 written" "2 secdb fixes (openssl)"
    assert_eq 6 "$(advisories_in "$data")" "advisories from the samples"
}

scan_configure_basic() {
    local out=$E2E_WORK/scan-config.json
    aws_s ecr put-registry-scanning-configuration --scan-type BASIC \
        --rules '[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"e2e/scan-*","filterType":"WILDCARD"}]}]' > "$out"
    cat "$out"
    aws_s ecr get-registry-scanning-configuration > "$out"
    cat "$out"
    jq -e '.scanningConfiguration.scanType == "BASIC" and .scanningConfiguration.rules[0].scanFrequency == "SCAN_ON_PUSH"' "$out"
    aws_s ecr create-repository --repository-name "$SCAN_DEB_REPO" > /dev/null
    aws_s ecr batch-get-repository-scanning-configuration --repository-names "$SCAN_DEB_REPO" > "$out"
    cat "$out"
    jq -e '.scanningConfigurations[0].scanOnPush == true and .scanningConfigurations[0].scanFrequency == "SCAN_ON_PUSH"' "$out"
}

# Until the scan of REPO@DIGEST is COMPLETE or ACTIVE (ENHANCED continuous scanning reports ACTIVE, which the
# aws waiter does not accept); fails on FAILED or after E2E_SCAN_TIMEOUT. Prints the final status.
scan_wait_final() { # REPO DIGEST
    local i st=""
    for i in $(seq 1 "$E2E_SCAN_TIMEOUT"); do
        st=$(aws_s ecr describe-image-scan-findings --repository-name "$1" --image-id "imageDigest=$2" 2>/dev/null \
            | jq -r '.imageScanStatus.status // empty' || true)
        case $st in COMPLETE|ACTIVE) echo "$st"; return 0 ;; FAILED|UNSUPPORTED_IMAGE) break ;; esac
        sleep 1
    done
    echo "scan of $1@$2 ended as '$st'" >&2
    return 1
}

# push LAYOUT:TAG to REPO:TAG; prints the manifest digest
scan_push() { # LAYOUT TAG REPO
    to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$(scan_pw)" "oci:$1:$2" "docker://$SR/$3:$2" >&2
    layout_digest "$1" "$2"
}

scan_debian_push_wait() {
    clear_blob_info_cache
    SCAN_DEB_DIGEST=$(scan_push "$E2E_IMAGES/debian" bookworm "$SCAN_DEB_REPO")
    echo "$SCAN_DEB_DIGEST" > "$E2E_WORK/scan-deb-digest"
    aws_s ecr wait image-scan-complete --repository-name "$SCAN_DEB_REPO" --image-id "imageDigest=$SCAN_DEB_DIGEST"
}

# The debian image's dpkg status: "binary source source-version" per installed package.
debian_packages() {
    local d=$E2E_WORK/scan-deb-rootfs m
    mkdir -p "$d"
    m=$(layout_manifest "$E2E_IMAGES/debian" bookworm)
    tar -xzf "$(blob_path "$E2E_IMAGES/debian" "$(jq -r '.layers[0].digest' "$m")")" -C "$d" var/lib/dpkg/status
    awk '/^Package:/ { p = $2 } /^Status:/ { st = $4 } /^Version:/ { v = $2 }
         /^Source:/ { s = $2; sv = ($3 ~ /^\(/) ? substr($3, 2, length($3) - 2) : "" }
         /^$/ { if (p != "" && st == "installed") print p, (s ? s : p), (sv ? sv : v); p = s = sv = v = st = "" }
         END { if (p != "" && st == "installed") print p, (s ? s : p), (sv ? sv : v) }' "$d/var/lib/dpkg/status"
}

# expected.tsv rows for IMAGE resolved to "present|absent NAME RECORD_FILE"
scan_expectations() { # IMAGE
    local img id name exp f src fixed inst
    [ "$1" != debian ] || debian_packages > "$E2E_WORK/scan-deb-packages"
    while IFS=$'\t' read -r img id name exp; do
        [[ $img == "#"* || $img != "$1" ]] && continue
        f=$(grep -l "\"id\": \"$id\"" "$OSV"/records/*/*.json | head -n 1)
        [ -n "$f" ] || die "no record $id"
        if [ "$exp" = dpkg ]; then
            src=$(jq -r '.affected[0].package.name' "$f")
            fixed=$(jq -r '[.affected[0].ranges[0].events[] | .fixed // empty][0] // ""' "$f")
            inst=$(awk -v s="$src" '$2 == s { print $3; exit }' "$E2E_WORK/scan-deb-packages")
            if [ -z "$inst" ]; then exp=absent
            elif [ -z "$fixed" ] || dpkg --compare-versions "$inst" lt "$fixed"; then exp=present
            else exp=absent; fi
            echo "# $name: $src installed $inst, fixed ${fixed:-never} -> $exp" >&2
        fi
        echo "$exp $name $f"
    done < "$OSV/expected.tsv"
}

scan_debian_findings() {
    local digest out=$E2E_WORK/scan-deb-findings.json exp name f n present=0 absent=0 bins
    digest=$(cat "$E2E_WORK/scan-deb-digest")
    aws_s ecr describe-image-scan-findings --repository-name "$SCAN_DEB_REPO" --image-id "imageDigest=$digest" > "$out"
    jq -c '{imageScanStatus, counts: .imageScanFindings.findingSeverityCounts, n: (.imageScanFindings.findings | length),
        sourceUpdatedAt: .imageScanFindings.vulnerabilitySourceUpdatedAt}' "$out"
    assert_eq COMPLETE "$(jq -r .imageScanStatus.status "$out")" "scan status"
    jq -e '.imageScanFindings.vulnerabilitySourceUpdatedAt != null and .imageScanFindings.imageScanCompletedAt != null' "$out" > /dev/null \
        || die "vulnerabilitySourceUpdatedAt / imageScanCompletedAt missing"
    # counts by severity = the findings listed
    assert_eq "$(jq -c '[.imageScanFindings.findings[].severity] | group_by(.) | map({(.[0]): length}) | add // {}' "$out")" \
        "$(jq -c '.imageScanFindings.findingSeverityCounts // {} | to_entries | sort_by(.key) | from_entries' "$out")" \
        "findingSeverityCounts against the findings"
    # basic shape: OS packages only, attributes package_name (a binary of the record's source) and package_version
    while read -r exp name f; do
        n=$(jq --arg c "$name" '[.imageScanFindings.findings[] | select(.name == $c)] | length' "$out")
        if [ "$exp" = present ]; then
            [ "$n" -ge 1 ] || die "$name expected, not reported"
            bins=$(awk -v s="$(jq -r '.affected[0].package.name' "$f")" '$2 == s { print $1 }' "$E2E_WORK/scan-deb-packages" | sort | tr '\n' ' ')
            assert_eq "$bins" "$(jq -r --arg c "$name" '[.imageScanFindings.findings[] | select(.name == $c)
                | .attributes[] | select(.key == "package_name") | .value] | unique | .[]' "$out" | tr '\n' ' ')" \
                "$name: one finding per installed binary of its source"
            jq -e --arg c "$name" '[.imageScanFindings.findings[] | select(.name == $c)
                | (.attributes | map(.key)) | contains(["package_name", "package_version"])] | all' "$out" > /dev/null \
                || die "$name: a finding lacks package_name/package_version"
            present=$((present + 1))
        else
            [ "$n" -eq 0 ] || die "$name must not be reported ($n findings)"
            absent=$((absent + 1))
        fi
    done < <(scan_expectations debian)
    echo "ok: $present expected CVEs reported, $absent negatives absent, $(jq '.imageScanFindings.findings | length' "$out") findings"
    [ "$present" -ge 5 ] && [ "$absent" -ge 5 ] || die "too few expectations resolved ($present present, $absent absent)"
}

scan_describe_images() {
    local digest out=$E2E_WORK/scan-deb-images.json findings=$E2E_WORK/scan-deb-findings.json
    digest=$(cat "$E2E_WORK/scan-deb-digest")
    aws_s ecr describe-images --repository-name "$SCAN_DEB_REPO" --image-ids "imageDigest=$digest" > "$out"
    jq -c '.imageDetails[0] | {imageScanStatus, imageScanFindingsSummary}' "$out"
    assert_eq COMPLETE "$(jq -r '.imageDetails[0].imageScanStatus.status' "$out")" "describe-images imageScanStatus"
    assert_eq "$(jq -c '.imageScanFindings.findingSeverityCounts | to_entries | sort_by(.key) | from_entries' "$findings")" \
        "$(jq -c '.imageDetails[0].imageScanFindingsSummary.findingSeverityCounts | to_entries | sort_by(.key) | from_entries' "$out")" \
        "describe-images summary counts = describe-image-scan-findings counts"
}

# ECR's basic quota: one scan per image per 24 hours (the push's scan may count): within two calls,
# start-image-scan answers LimitExceededException.
scan_manual_quota() {
    local digest err=$E2E_WORK/scan-start.err i
    digest=$(cat "$E2E_WORK/scan-deb-digest")
    for i in 1 2; do
        if aws_s ecr start-image-scan --repository-name "$SCAN_DEB_REPO" --image-id "imageDigest=$digest" > "$err" 2>&1; then
            cat "$err"
            jq -e '.imageScanStatus.status == "IN_PROGRESS" or .imageScanStatus.status == "PENDING"' "$err"
            aws_s ecr wait image-scan-complete --repository-name "$SCAN_DEB_REPO" --image-id "imageDigest=$digest"
            continue
        fi
        cat "$err"
        assert_contains "$err" "LimitExceededException" "second manual scan refused by the quota"
        return 0
    done
    die "two start-image-scan calls were accepted"
}

# The SBOM of REPO@DIGEST through the referrers API: an OCI artifact whose subject is the image; its one layer to OUT.
referrer_sbom() { # REPO DIGEST OUT
    local repo=$1 digest=$2 sbom=$3 ref=$E2E_WORK/scan-referrers.json m=$E2E_WORK/scan-sbom-manifest.json sd
    scan_curl -f -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$SR/v2/$repo/referrers/$digest" > "$ref"
    cat "$ref"; echo
    sd=$(jq -er '[.manifests[] | select(.artifactType == "application/vnd.cyclonedx+json")][0].digest' "$ref")
    scan_curl -f -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$SR/v2/$repo/manifests/$sd" > "$m"
    cat "$m"; echo
    assert_eq "$sd" "sha256:$(sha256sum < "$m" | cut -d' ' -f1)" "SBOM manifest digest"
    jq -e --arg d "$digest" '.subject.digest == $d and .artifactType == "application/vnd.cyclonedx+json"
        and .config.mediaType == "application/vnd.oci.empty.v1+json"
        and .annotations["io.wharf.sbom.generator"] == "wharf" and (.annotations["org.opencontainers.image.created"] | length > 0)
        and (.layers | length == 1) and .layers[0].mediaType == "application/vnd.cyclonedx+json"' "$m"
    scan_curl -f -o "$sbom" "http://$SR/v2/$repo/blobs/$(jq -r '.layers[0].digest' "$m")"
    assert_eq "$(jq -r '.layers[0].digest' "$m")" "sha256:$(sha256sum < "$sbom" | cut -d' ' -f1)" "SBOM blob digest"
    jq -e '.bomFormat == "CycloneDX"' "$sbom" > /dev/null
}

scan_sbom_referrers() {
    local sbom=$E2E_WORK/scan-deb-sbom.json
    referrer_sbom "$SCAN_DEB_REPO" "$(cat "$E2E_WORK/scan-deb-digest")" "$sbom"
    jq -e '[.components[] | select((.purl // "") | startswith("pkg:deb/"))] | length >= 80' "$sbom"
}

# Wharf's API: the same packages as CycloneDX, and SPDX.
scan_sbom_api() {
    local digest
    digest=$(cat "$E2E_WORK/scan-deb-digest")
    scan_curl -f "http://$SR/wharf/v1/repositories/$SCAN_DEB_REPO/sbom/$digest?format=cyclonedx" > "$E2E_WORK/scan-api-cdx.json"
    assert_eq "$(jq -c '[.components[].purl] | sort' "$E2E_WORK/scan-deb-sbom.json")" \
        "$(jq -c '[.components[].purl] | sort' "$E2E_WORK/scan-api-cdx.json")" "the API's CycloneDX lists the referrer's packages"
    scan_curl -f "http://$SR/wharf/v1/repositories/$SCAN_DEB_REPO/sbom/$digest?format=spdx" > "$E2E_WORK/scan-api-spdx.json"
    jq -e '(.spdxVersion | startswith("SPDX-")) and (.packages | length >= 80)' "$E2E_WORK/scan-api-spdx.json"
}

scan_oracle() {
    "$REPO/e2e/scan-oracle.sh" "$E2E_IMAGES/debian" bookworm "$E2E_WORK/scan-deb-sbom.json"
}

scan_configure_enhanced() {
    local out=$E2E_WORK/scan-config-enh.json
    aws_s ecr put-registry-scanning-configuration --scan-type ENHANCED --rules \
        '[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"e2e/scan-*","filterType":"WILDCARD"}]}]' > "$out"
    aws_s ecr get-registry-scanning-configuration > "$out"
    cat "$out"
    jq -e '.scanningConfiguration.scanType == "ENHANCED" and .scanningConfiguration.rules[0].scanFrequency == "CONTINUOUS_SCAN"' "$out"
}

# The polyglot image under ENHANCED scanning: language findings, each package's layer, the whiteout.
scan_polyglot() {
    local out=$E2E_WORK/scan-poly-findings.json digest m exp name f n present=0 absent=0 layers
    aws_s ecr create-repository --repository-name "$SCAN_POLY_REPO" > /dev/null
    digest=$(scan_push "$E2E_IMAGES/polyglot" latest "$SCAN_POLY_REPO")
    scan_wait_final "$SCAN_POLY_REPO" "$digest"
    aws_s ecr describe-image-scan-findings --repository-name "$SCAN_POLY_REPO" --image-id "imageDigest=$digest" > "$out"
    jq -c '.imageScanFindings.enhancedFindings[] | {id: .packageVulnerabilityDetails.vulnerabilityId,
        pkg: .packageVulnerabilityDetails.vulnerablePackages[0] | {name, version, packageManager, sourceLayerHash, fixedInVersion}}' "$out"
    jq -e '.imageScanStatus.status == "COMPLETE" or .imageScanStatus.status == "ACTIVE"' "$out"
    while read -r exp name f; do
        n=$(jq --arg c "$name" '[.imageScanFindings.enhancedFindings[] | select(.packageVulnerabilityDetails.vulnerabilityId == $c)] | length' "$out")
        if [ "$exp" = present ]; then [ "$n" -ge 1 ] || die "$name expected, not reported"; present=$((present + 1))
        else [ "$n" -eq 0 ] || die "$name must not be reported ($n findings)"; absent=$((absent + 1)); fi
    done < <(scan_expectations polyglot)
    echo "ok: $present expected present, $absent absent (incl. node-fetch, removed by a whiteout)"
    # sourceLayerHash: the layer that brought the package (build-images.sh: 1 apk, 3 npm, 5 jar, 6 python, 7 go, 8 cargo+gem)
    m=$(layout_manifest "$E2E_IMAGES/polyglot" latest)
    layers=$(jq -c '[.layers[].digest]' "$m")
    jq -e --argjson l "$layers" '[.imageScanFindings.enhancedFindings[] | .packageVulnerabilityDetails as $p
        | {id: $p.vulnerabilityId, layer: $p.vulnerablePackages[0].sourceLayerHash}]
        | map({"CVE-2023-5678": 0, "CVE-2021-23337": 2, "CVE-2021-44906": 2, "CVE-2021-44228": 4, "CVE-2023-32681": 5,
               "CVE-2021-33503": 5, "CVE-2023-29400": 6, "CVE-2021-25900": 7, "CVE-2022-30123": 7}[.id] as $i
               | select($i != null) | .layer == $l[$i]) | (length >= 9) and all' "$out" \
        || die "a finding names another layer than the one holding its package"
    # fixedInVersion: the record's fix above the installed version (raw JSON: the aws CLI's model lacks the field)
    ecr_raw DescribeImageScanFindings "{\"repositoryName\":\"$SCAN_POLY_REPO\",\"imageId\":{\"imageDigest\":\"$digest\"},\"maxResults\":1000}" \
        > "$E2E_WORK/scan-poly-raw.json"
    jq -e '[.imageScanFindings.enhancedFindings[] | select(.packageVulnerabilityDetails.vulnerabilityId == "CVE-2021-23337")
        | .fixAvailable == "YES"] | (length >= 1) and all' "$E2E_WORK/scan-poly-raw.json"
    assert_eq '{"CVE-2021-23337":"4.17.21","CVE-2021-44228":"2.15.0","CVE-2022-30123":"2.2.3.1","CVE-2023-32681":"2.31.0"}' \
        "$(jq -S -c '[.imageScanFindings.enhancedFindings[] | .packageVulnerabilityDetails
            | select(.vulnerabilityId | IN("CVE-2021-23337", "CVE-2021-44228", "CVE-2022-30123", "CVE-2023-32681"))
            | {(.vulnerabilityId): .vulnerablePackages[0].fixedInVersion}] | add' "$E2E_WORK/scan-poly-raw.json")" "fixedInVersion of four findings"
    jq -e '[.imageScanFindings.enhancedFindings[] | .type == "PACKAGE_VULNERABILITY" and (.findingArn | length > 0)
        and (.packageVulnerabilityDetails.vulnerablePackages | length >= 1)] | all' "$out"
    # its SBOM has every ecosystem, the rpm packages, and not node-fetch
    referrer_sbom "$SCAN_POLY_REPO" "$digest" "$E2E_WORK/scan-poly-sbom.json"
    jq -r '[.components[].purl // empty] | .[]' "$E2E_WORK/scan-poly-sbom.json"
    jq -e '[.components[].purl // empty] as $p | ["pkg:apk/", "pkg:rpm/", "pkg:npm/lodash@4.17.20", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        "pkg:pypi/requests@2.25.0", "pkg:golang/stdlib", "pkg:cargo/smallvec@1.6.0", "pkg:gem/rack@2.2.3"]
        | all(. as $x | $p | any(startswith($x)))' "$E2E_WORK/scan-poly-sbom.json" || die "the SBOM lacks an ecosystem"
    jq -e '[.components[].purl // empty | select(startswith("pkg:npm/node-fetch"))] | length == 0' "$E2E_WORK/scan-poly-sbom.json" \
        || die "node-fetch (whited out) is in the SBOM"
}

# A multi-arch index (busybox images without a package database): each platform is scanned and the scan
# ends (COMPLETE or UNSUPPORTED_IMAGE), never hangs.
scan_multi_arch() {
    local digest out=$E2E_WORK/scan-multi.json i st=""
    aws_s ecr create-repository --repository-name "$SCAN_MULTI_REPO" > /dev/null
    to skopeo copy --all --dest-tls-verify=false --dest-creds "AWS:$(scan_pw)" "oci:$E2E_IMAGES/multi:latest" "docker://$SR/$SCAN_MULTI_REPO:latest"
    digest=$(layout_digest "$E2E_IMAGES/multi" latest)
    for i in $(seq 1 "$E2E_SCAN_TIMEOUT"); do
        aws_s ecr describe-image-scan-findings --repository-name "$SCAN_MULTI_REPO" --image-id "imageDigest=$digest" > "$out" 2>&1 || true
        st=$(jq -r '.imageScanStatus.status // empty' "$out" 2>/dev/null || true)
        case $st in COMPLETE|UNSUPPORTED_IMAGE|ACTIVE) break ;; FAILED) break ;; esac
        sleep 1
    done
    cat "$out"
    case $st in COMPLETE|UNSUPPORTED_IMAGE|ACTIVE) echo "ok: index scan ended: $st" ;; *) die "index scan status '$st'" ;; esac
}

# Continuous scanning: the debian image pushed again (another repository) under the ENHANCED continuous rule is
# ACTIVE; importing one more record (an open glibc CVE) makes it appear there without a push.
scan_continuous() {
    local digest out=$E2E_WORK/scan-cont.json i repo=e2e/scan-continuous
    aws_s ecr create-repository --repository-name "$repo" > /dev/null
    digest=$(scan_push "$E2E_IMAGES/debian" bookworm "$repo")
    assert_eq ACTIVE "$(scan_wait_final "$repo" "$digest")" "status under continuous scanning"
    aws_s ecr describe-image-scan-findings --repository-name "$repo" --image-id "imageDigest=$digest" > "$out"
    jq -e '[.imageScanFindings.enhancedFindings[].packageVulnerabilityDetails.vulnerabilityId] | index("CVE-2010-4756") == null' "$out" > /dev/null \
        || die "CVE-2010-4756 reported before its record was imported"
    wharf_s vulndb import --data "$SCAN_DATA" "$OSV/update/DEBIAN-CVE-2010-4756.json"
    for i in $(seq 1 "$E2E_SCAN_TIMEOUT"); do
        aws_s ecr describe-image-scan-findings --repository-name "$repo" --image-id "imageDigest=$digest" > "$out" 2>/dev/null || true
        if jq -e '[.imageScanFindings.enhancedFindings[]?.packageVulnerabilityDetails.vulnerabilityId] | index("CVE-2010-4756") != null' \
            "$out" > /dev/null 2>&1; then
            echo "re-matched ${i} s after the import"
            return 0
        fi
        sleep 1
    done
    jq -c '.imageScanStatus' "$out"
    die "CVE-2010-4756 not reported within $E2E_SCAN_TIMEOUT s of the import"
}

# The checks run_scan runs (e2e/run fails the section when another number ran); none when the registry
# under test is not Wharf.
SCAN_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then SCAN_CHECKS=15; fi
run_scan() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "the scan section needs Wharf itself (registry is $WHARF_E2E_REGISTRY): not applicable"
        return 0
    fi
    check_main "scan: wharf with authentication and scanning starts" scan_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "scan: wharf vulndb import of the OSV fixtures while serving; all.zip and mirror dir are the same records" scan_import
    check "scan: wharf vulndb import of the Debian tracker and Alpine secdb samples" scan_import_formats
    check "scan: put-registry-scanning-configuration BASIC scan-on-push, batch-get-repository-scanning-configuration" scan_configure_basic
    check_main "scan: skopeo push of the debian image, aws ecr wait image-scan-complete" scan_debian_push_wait
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "scan: describe-image-scan-findings: expected CVEs present, negatives absent, counts" scan_debian_findings
    check "scan: describe-images scan status and findings summary" scan_describe_images
    check "scan: start-image-scan again -> LimitExceededException" scan_manual_quota
    check "scan: the SBOM through the referrers API (an OCI artifact whose subject is the image)" scan_sbom_referrers
    check "scan: the SBOM through GET /wharf/v1/repositories/{name}/sbom/{digest} (CycloneDX, SPDX)" scan_sbom_api
    check "scan: cdxgen oracle: every dpkg package trivy-cdxgen finds is in Wharf's SBOM" scan_oracle
    check "scan: put-registry-scanning-configuration ENHANCED continuous" scan_configure_enhanced
    check "scan: polyglot image: enhanced findings (apk, npm, jar, Python, Go, Cargo, gem), sourceLayerHash, whiteout" scan_polyglot
    check "scan: multi-arch index: the scan ends" scan_multi_arch
    check "scan: a vulnerability data update re-matches an image under continuous scanning (no push)" scan_continuous
}
