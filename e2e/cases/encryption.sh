# shellcheck shell=bash
# encryption: encryption at rest (docs/encryption.md) on a second Wharf with encryption.aes256=encrypt. A key made
# with `wharf kms create-key`, a repository created by Debian's aws CLI v2 with
# --encryption-configuration encryptionType=KMS,kmsKey=<ARN>, an unknown key refused (KmsException); skopeo copies the
# tiny image into the KMS repository and an AES256 one and back out, blob for blob identical, while no 4 KiB window of
# any of its blobs, and none of its manifests whole, is anywhere in the data directory.

ENC_AWS=/usr/bin/aws

enc_aws() {
    AWS_SHARED_CREDENTIALS_FILE=$ENC_DATA/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$ENC_AWS" --endpoint-url "http://$ENC" "$@"
}

enc_start() {
    ENC_DATA=$E2E_WORK/encryption-data
    ENC=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=true WHARF_ENCRYPTION_AES256=encrypt wharf_serve "$E2E_WORK/encryption-registry.log" --listen "$ENC" \
        --data "$ENC_DATA" &
    ENC_PID=$!
    register_pid "$ENC_PID" "wharf with encryption (encryption section)"
    wait_http "http://$ENC/v2/" "$E2E_START_TIMEOUT" "401" "$ENC_PID"
    [ -s "$ENC_DATA/root-credentials" ] || { echo "no $ENC_DATA/root-credentials"; return 1; }
}

enc_create() {
    local arn out=$E2E_WORK/encryption-create.json
    arn=$("$REPO/bin/wharf" kms create-key team-a --data "$ENC_DATA")
    assert_eq "arn:aws:kms:us-east-1:000000000000:key/team-a" "$arn" "create-key prints the key's ARN"
    enc_aws ecr create-repository --repository-name enc/kms \
        --encryption-configuration "encryptionType=KMS,kmsKey=$arn" > "$out"
    assert_eq KMS "$(jq -r .repository.encryptionConfiguration.encryptionType "$out")" "encryptionType"
    assert_eq "$arn" "$(jq -r .repository.encryptionConfiguration.kmsKey "$out")" "kmsKey"
    enc_aws ecr create-repository --repository-name enc/aes > /dev/null
    assert_fails "a key Wharf does not hold is refused" \
        enc_aws ecr create-repository --repository-name enc/bad --encryption-configuration encryptionType=KMS,kmsKey=alias/nope
}

enc_round_trip() {
    local pw repo back d
    pw=$(enc_aws ecr get-login-password)
    for repo in enc/kms enc/aes; do
        to skopeo copy --preserve-digests --dest-tls-verify=false --dest-creds "AWS:$pw" \
            "oci:$E2E_IMAGES/tiny:latest" "docker://$ENC/$repo:1"
        back=$E2E_WORK/back/encryption-${repo#enc/}
        rm -rf "$back"
        mkdir -p "${back%/*}"
        to skopeo copy --src-tls-verify=false --src-creds "AWS:$pw" "docker://$ENC/$repo:1" "oci:$back:1"
        for d in "$E2E_IMAGES"/tiny/blobs/sha256/*; do
            [ -f "$back/blobs/sha256/${d##*/}" ] || continue
            cmp "$d" "$back/blobs/sha256/${d##*/}" || die "$repo: blob ${d##*/} differs"
        done
        echo "ok: $repo round trip, blobs identical"
    done
    [ -d "$ENC_DATA/encrypted/kms-team-a" ] && [ -d "$ENC_DATA/encrypted/aes256" ] || die "no encrypted copies"
    python3 - "$E2E_IMAGES/tiny/blobs/sha256" "$ENC_DATA" <<'PY'
import os, sys
blobs = [open(os.path.join(sys.argv[1], h), 'rb').read() for h in os.listdir(sys.argv[1])]
disk = [open(os.path.join(r, f), 'rb').read() for r, _, fs in os.walk(sys.argv[2]) for f in fs]
windows = [b[at:at + 4096] for b in blobs for at in range(0, len(b) - 4095, 4096)]
found = sum(1 for w in windows if any(w in d for d in disk))
print(f"{len(windows)} windows of 4 KiB, {found} found on disk")
# the manifests (kept in the metadata database, sealed there): none may be anywhere whole
manifests = [b for b in blobs if b.startswith(b'{') and b'"schemaVersion"' in b]
bare = sum(1 for m in manifests if any(m in d for d in disk))
print(f"{len(manifests)} manifest(s), {bare} found on disk")
sys.exit(1 if found or not windows or bare or not manifests else 0)
PY
}

# The checks run_encryption runs (e2e/run fails the section when another number ran); none unless Wharf.
ENCRYPTION_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then ENCRYPTION_CHECKS=3; fi
run_encryption() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        return 0
    fi
    check_main "encryption: a Wharf with encryption.aes256=encrypt starts" enc_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "encryption: wharf kms create-key; aws ecr create-repository with a KMS key (an unknown one refused)" enc_create
    check "encryption: skopeo copies in and out of KMS and AES256 repositories; no plaintext on disk" enc_round_trip
}
