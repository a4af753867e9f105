# shellcheck shell=bash
# signatures: signing on push and pull policies (docs/signatures.md) on a second Wharf without authentication.
# ECR's PutSigningConfiguration is sent with curl (Debian's aws CLI predates the signing operations); skopeo copies
# the tiny image in, and Wharf writes cosign's sha256-<hex>.sig manifest, read back with skopeo inspect --raw; the
# simple-signing payload names the image's digest and openssl verifies the signature with the key
# `wharf signing public-key` prints. In an IMMUTABLE repository whose .sig tag another signer took first, Wharf's
# signature is an OCI 1.1 referrer (listed by the referrers API, verified the same way). Under a signature policy
# trusting that key, skopeo pulls the signed images and is refused (DENIED, with the reason) an unsigned one. cosign
# itself is not installed here.

SIG_PROFILE="arn:aws:signer:us-east-1:000000000000:/signing-profiles/e2e_ci"

sig_ecr() { # OPERATION JSON
    curl -sS --max-time 20 -H "Content-Type: application/x-amz-json-1.1" \
        -H "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.$1" --data "$2" "http://$SIG/"
}

sig_start() {
    SIG_DATA=$E2E_WORK/signatures-data
    SIG=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=false wharf_serve "$E2E_WORK/signatures-registry.log" --listen "$SIG" --data "$SIG_DATA" &
    SIG_PID=$!
    register_pid "$SIG_PID" "wharf for the signatures section"
    wait_http "http://$SIG/v2/" "$E2E_START_TIMEOUT" "200" "$SIG_PID"
}

sig_signed_on_push() {
    local out=$E2E_WORK/signatures-config.json digest sig payload
    sig_ecr PutSigningConfiguration "{\"signingConfiguration\":{\"rules\":[{\"signingProfileArn\":\"$SIG_PROFILE\",
        \"repositoryFilters\":[{\"filter\":\"sig/signed*\",\"filterType\":\"WILDCARD_MATCH\"}]}]}}" > "$out"
    assert_eq "$SIG_PROFILE" "$(jq -r '.signingConfiguration.rules[0].signingProfileArn' "$out")" "configuration stored"
    to skopeo copy --dest-tls-verify=false "oci:$E2E_IMAGES/tiny:latest" "docker://$SIG/sig/signed:1"
    digest=$(to skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$SIG/sig/signed:1")
    sig=$E2E_WORK/signatures-sig.json
    for _ in $(seq 1 100); do
        to skopeo inspect --raw --tls-verify=false "docker://$SIG/sig/signed:sha256-${digest#sha256:}.sig" > "$sig" \
            2>/dev/null && break
        sleep 0.2
    done
    assert_eq "application/vnd.dev.cosign.simplesigning.v1+json" "$(jq -r '.layers[0].mediaType' "$sig")" "a cosign layer"
    payload=$E2E_WORK/signatures-payload.json
    curl -sS -o "$payload" "http://$SIG/v2/sig/signed/blobs/$(jq -r '.layers[0].digest' "$sig")"
    assert_eq "$digest" "$(jq -r '.critical.image["docker-manifest-digest"]' "$payload")" "the payload names the image"
    jq -r '.layers[0].annotations["dev.cosignproject.cosign/signature"]' "$sig" | base64 -d > "$E2E_WORK/signatures-sig.bin"
    "$REPO/bin/wharf" signing public-key --data "$SIG_DATA" "$SIG_PROFILE" > "$E2E_WORK/signatures-key.pem"
    openssl dgst -sha256 -verify "$E2E_WORK/signatures-key.pem" -signature "$E2E_WORK/signatures-sig.bin" "$payload"
    assert_eq COMPLETE "$(sig_ecr DescribeImageSigningStatus "{\"repositoryName\":\"sig/signed\",
        \"imageId\":{\"imageTag\":\"1\"}}" | jq -r '.signingStatuses[0].status')" "DescribeImageSigningStatus"
}

sig_put_blob() { # REPO FILE: a monolithic blob upload
    curl -sSf -o /dev/null -X POST -H "Content-Type: application/octet-stream" --data-binary "@$2" \
        "http://$SIG/v2/$1/blobs/uploads/?digest=sha256:$(sha256sum "$2" | cut -d' ' -f1)"
}

# Another signer's cosign .sig (tag scheme, its own openssl key) for DIGEST in REPO, written before the image.
sig_other_signer() { # REPO DIGEST
    local w=$E2E_WORK/signatures-other payload_digest
    mkdir -p "$w"
    openssl ecparam -name prime256v1 -genkey -noout -out "$w/key.pem"
    printf '{"critical":{"identity":{"docker-reference":"%s/%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
        "$SIG" "$1" "$2" > "$w/payload.json"
    payload_digest=sha256:$(sha256sum "$w/payload.json" | cut -d' ' -f1)
    printf '{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}' "$payload_digest" \
        > "$w/config.json"
    sig_put_blob "$1" "$w/payload.json"
    sig_put_blob "$1" "$w/config.json"
    jq -cn --arg config "sha256:$(sha256sum "$w/config.json" | cut -d' ' -f1)" \
        --argjson config_size "$(stat -c %s "$w/config.json")" --arg payload "$payload_digest" \
        --argjson payload_size "$(stat -c %s "$w/payload.json")" \
        --arg sig "$(openssl dgst -sha256 -sign "$w/key.pem" "$w/payload.json" | base64 -w0)" \
        '{schemaVersion:2, mediaType:"application/vnd.oci.image.manifest.v1+json",
          config:{mediaType:"application/vnd.oci.image.config.v1+json", digest:$config, size:$config_size},
          layers:[{mediaType:"application/vnd.dev.cosign.simplesigning.v1+json", digest:$payload, size:$payload_size,
                   annotations:{"dev.cosignproject.cosign/signature":$sig}}]}' > "$w/sig.json"
    curl -sSf -o /dev/null -X PUT -H "Content-Type: application/vnd.oci.image.manifest.v1+json" \
        --data-binary "@$w/sig.json" "http://$SIG/v2/$1/manifests/sha256-${2#sha256:}.sig"
}

sig_referrer_when_immutable() {
    local repo=sig/signed-locked digest pushed refs=$E2E_WORK/signatures-referrers.json ref sig payload policy back
    sig_ecr CreateRepository "{\"repositoryName\":\"$repo\",\"imageTagMutability\":\"IMMUTABLE\"}" > /dev/null
    digest=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest") | .digest' \
        "$E2E_IMAGES/tiny/index.json")
    sig_other_signer "$repo" "$digest"
    to skopeo copy --dest-tls-verify=false "oci:$E2E_IMAGES/tiny:latest" "docker://$SIG/$repo:1"
    pushed=$(to skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$SIG/$repo:1")
    assert_eq "$digest" "$pushed" "skopeo pushed the layout's manifest as it is"
    for _ in $(seq 1 100); do
        curl -sSf "http://$SIG/v2/$repo/referrers/$digest" > "$refs"
        [ "$(jq '.manifests | length' "$refs")" -ge 1 ] && break
        sleep 0.2
    done
    assert_eq 1 "$(jq '.manifests | length' "$refs")" "one referrer"
    assert_eq "application/vnd.dev.cosign.artifact.sig.v1+json" "$(jq -r '.manifests[0].artifactType' "$refs")" \
        "the referrer is a cosign signature"
    ref=$(jq -r '.manifests[0].digest' "$refs")
    sig=$E2E_WORK/signatures-referrer.json
    to skopeo inspect --raw --tls-verify=false "docker://$SIG/$repo@$ref" > "$sig"
    assert_eq "$digest" "$(jq -r '.subject.digest' "$sig")" "its subject is the image"
    assert_eq "application/vnd.oci.empty.v1+json" "$(jq -r '.config.mediaType' "$sig")" "the empty config"
    payload=$E2E_WORK/signatures-referrer-payload.json
    curl -sSf -o "$payload" "http://$SIG/v2/$repo/blobs/$(jq -r '.layers[0].digest' "$sig")"
    assert_eq "$digest" "$(jq -r '.critical.image["docker-manifest-digest"]' "$payload")" "the payload names the image"
    jq -r '.layers[0].annotations["dev.cosignproject.cosign/signature"]' "$sig" | base64 -d \
        > "$E2E_WORK/signatures-referrer-sig.bin"
    "$REPO/bin/wharf" signing public-key --data "$SIG_DATA" "$SIG_PROFILE" > "$E2E_WORK/signatures-key.pem"
    openssl dgst -sha256 -verify "$E2E_WORK/signatures-key.pem" -signature "$E2E_WORK/signatures-referrer-sig.bin" \
        "$payload"
    to skopeo inspect --raw --tls-verify=false "docker://$SIG/$repo:sha256-${digest#sha256:}.sig" \
        | jq -c '[.layers[].annotations | has("dev.wharf.signing-profile")]' > "$E2E_WORK/signatures-other-layers.json"
    assert_eq '[false]' "$(cat "$E2E_WORK/signatures-other-layers.json")" "the other signer's .sig is untouched"
    assert_eq COMPLETE "$(sig_ecr DescribeImageSigningStatus "{\"repositoryName\":\"$repo\",
        \"imageId\":{\"imageTag\":\"1\"}}" | jq -r '.signingStatuses[0].status')" "DescribeImageSigningStatus"
    policy=$E2E_WORK/signatures-policy-locked.json
    jq -n --rawfile key "$E2E_WORK/signatures-key.pem" '{trustedKeys:[{name:"e2e",publicKey:$key}]}' > "$policy"
    curl -sSf -X PUT --data-binary "@$policy" "http://$SIG/wharf/v1/repositories/$repo/signature-policy" > /dev/null
    back=$E2E_WORK/back/signatures-locked
    rm -rf "$back"
    mkdir -p "${back%/*}"
    to skopeo copy --src-tls-verify=false "docker://$SIG/$repo:1" "oci:$back:1"
    echo "ok: the image signed by a referrer pulls under the policy"
}

sig_policy() {
    local policy=$E2E_WORK/signatures-policy.json repo back
    jq -n --rawfile key "$E2E_WORK/signatures-key.pem" '{trustedKeys:[{name:"e2e",publicKey:$key}]}' > "$policy"
    to skopeo copy --dest-tls-verify=false "oci:$E2E_IMAGES/tiny:latest" "docker://$SIG/sig/unsigned:1"
    for repo in sig/signed sig/unsigned; do
        curl -sSf -X PUT --data-binary "@$policy" "http://$SIG/wharf/v1/repositories/$repo/signature-policy" > /dev/null
    done
    back=$E2E_WORK/back/signatures
    rm -rf "$back"
    mkdir -p "${back%/*}"
    to skopeo copy --src-tls-verify=false "docker://$SIG/sig/signed:1" "oci:$back:1"
    echo "ok: the signed image pulls under the policy"
    assert_fails "the unsigned image is refused" \
        to skopeo copy --src-tls-verify=false "docker://$SIG/sig/unsigned:1" "oci:$back:2"
    curl -sS "http://$SIG/v2/sig/unsigned/manifests/1" | tee "$E2E_WORK/signatures-denied.json"
    assert_eq DENIED "$(jq -r '.errors[0].code' "$E2E_WORK/signatures-denied.json")" "DENIED"
    jq -r '.errors[0].message' "$E2E_WORK/signatures-denied.json" | grep -q "the image has no signature"
}

# The checks run_signatures runs (e2e/run fails the section when another number ran); none unless Wharf.
SIGNATURES_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then SIGNATURES_CHECKS=4; fi
run_signatures() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        return 0
    fi
    check_main "signatures: a Wharf without authentication starts" sig_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "signatures: PutSigningConfiguration; skopeo push; the .sig manifest verifies with openssl" sig_signed_on_push
    check "signatures: IMMUTABLE repository, another signer's .sig first: Wharf's signature is a referrer that verifies" \
        sig_referrer_when_immutable
    check "signatures: under a signature policy skopeo pulls the signed image and is DENIED the unsigned one" sig_policy
}
