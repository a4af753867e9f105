# shellcheck shell=bash
# signatures: signing on push and pull policies (docs/signatures.md) on a second Wharf without authentication.
# ECR's PutSigningConfiguration is sent with curl (Debian's aws CLI predates the signing operations); skopeo copies
# the tiny image in, and Wharf writes cosign's sha256-<hex>.sig manifest, read back with skopeo inspect --raw; the
# simple-signing payload names the image's digest and openssl verifies the signature with the key
# `wharf signing public-key` prints. Under a signature policy trusting that key, skopeo pulls the signed image and
# is refused (DENIED, with the reason) an unsigned one. cosign itself is not installed here.

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
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then SIGNATURES_CHECKS=3; fi
run_signatures() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        return 0
    fi
    check_main "signatures: a Wharf without authentication starts" sig_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "signatures: PutSigningConfiguration; skopeo push; the .sig manifest verifies with openssl" sig_signed_on_push
    check "signatures: under a signature policy skopeo pulls the signed image and is DENIED the unsigned one" sig_policy
}
