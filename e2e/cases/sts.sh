# shellcheck shell=bash
# sts: roles and temporary credentials (docs/sts.md) with Debian's aws CLI v2 against a second Wharf started with
# authentication on: `wharf iam create-role` with a trust policy, `aws sts assume-role`, the role session's
# get-login-password -> skopeo push, docker login/pull/push; `wharf iam enable-mfa`, `aws sts get-session-token --serial-number
# --token-code` (the code computed here from the secret, RFC 6238 with python3's hmac) -> a push that a policy
# allows only with MFA; refusals (trust policy, a tampered token, a code used twice, a push without MFA).
# Expiry is not waited for here (the shortest session is 15 minutes): AssumeRoleApiTest moves a clock instead.

STS_AWS=/usr/bin/aws

sts_iam() { to "$REPO/bin/wharf" iam --data "$STS_DATA" "$@"; }
# aws CLI with the credentials in the variables ID, SECRET and (for temporary credentials) TOKEN
sts_aws() {
    AWS_ACCESS_KEY_ID=$ID AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=${TOKEN:-} AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to "$STS_AWS" --endpoint-url "http://$SR" "$@"
}
# TOTP code (SHA-1, 30 s, 6 digits) of a base32 secret at the current time
sts_totp() {
    python3 -c 'import base64,hashlib,hmac,struct,sys,time
k = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
h = hmac.new(k, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$1"
}
sts_key() { sed -n "s/^$1=//p" <<< "$2"; }
# skopeo push of the tiny image with a registry password
sts_push() { to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$1" "oci:$E2E_IMAGES/tiny:latest" "docker://$SR/$2"; }

sts_start() {
    STS_DATA=$E2E_WORK/sts-data
    STS_ROLE_CREDS=$E2E_WORK/sts-role-credentials.json
    SR=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=true wharf_serve "$E2E_WORK/sts-registry.log" --listen "$SR" --data "$STS_DATA" &
    STS_PID=$!
    register_pid "$STS_PID" "wharf with auth (sts section)"
    wait_http "http://$SR/v2/" "$E2E_START_TIMEOUT" "401" "$STS_PID"
    STS_ACCOUNT=$(sed -n 's/.*account \([0-9]\{12\}\).*/\1/p' "$STS_DATA/root-credentials" | head -n 1)
    [[ "$STS_ACCOUNT" =~ ^[0-9]{12}$ ]] || { echo "no account in $STS_DATA/root-credentials"; return 1; }
}

sts_assume_role() {
    local out=$E2E_WORK/sts-assume.json keys ID SECRET TOKEN expiration pw
    sts_iam create-user ci > /dev/null
    keys=$(sts_iam create-access-key ci)
    printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:user/ci"},"Action":"sts:AssumeRole"}]}' \
        "$STS_ACCOUNT" > "$E2E_WORK/sts-trust.json"
    echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}' > "$E2E_WORK/sts-ecr.json"
    sts_iam create-role pusher "$E2E_WORK/sts-trust.json"
    sts_iam put-role-policy pusher ecr "$E2E_WORK/sts-ecr.json"
    ID=$(sts_key AWS_ACCESS_KEY_ID "$keys") SECRET=$(sts_key AWS_SECRET_ACCESS_KEY "$keys") TOKEN=""
    # kept for sts_refusals (each check runs in its own subshell)
    sts_aws sts assume-role --role-arn "arn:aws:iam::$STS_ACCOUNT:role/pusher" --role-session-name e2e > "$STS_ROLE_CREDS"
    jq '.Credentials.SecretAccessKey = "…" | .Credentials.SessionToken = "…"' "$STS_ROLE_CREDS"
    ID=$(jq -r .Credentials.AccessKeyId "$STS_ROLE_CREDS") SECRET=$(jq -r .Credentials.SecretAccessKey "$STS_ROLE_CREDS")
    TOKEN=$(jq -r .Credentials.SessionToken "$STS_ROLE_CREDS") expiration=$(jq -r .Credentials.Expiration "$STS_ROLE_CREDS")
    [[ "$ID" =~ ^ASIA ]] || die "not a temporary key id: $ID"
    sts_aws sts get-caller-identity | jq -e --arg a "arn:aws:sts::$STS_ACCOUNT:assumed-role/pusher/e2e" '.Arn == $a'
    sts_aws ecr create-repository --repository-name e2e/sts-role > /dev/null
    sts_aws ecr get-authorization-token > "$out"
    python3 -c 'import datetime,json,sys
d = json.load(open(sys.argv[1]))["authorizationData"][0]["expiresAt"]
t = datetime.datetime.fromisoformat(str(d)) if not isinstance(d, (int, float)) else datetime.datetime.fromtimestamp(d, datetime.timezone.utc)
e = datetime.datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00"))
sys.exit(0 if t <= e else "registry password outlives the credentials: %s > %s" % (t, e))' "$out" "$expiration"
    pw=$(sts_aws ecr get-login-password)
    sts_push "$pw" e2e/sts-role:v1
    # docker: the same session's password, login from stdin, pull and push another tag
    printf '%s' "$pw" | dk login -u AWS --password-stdin "$SR"
    dk pull "$SR/e2e/sts-role:v1"
    dk tag "$SR/e2e/sts-role:v1" "$SR/e2e/sts-role:docker"
    dk push "$SR/e2e/sts-role:docker"
    sts_aws ecr list-images --repository-name e2e/sts-role | jq -e '[.imageIds[].imageTag] | contains(["v1", "docker"])'
}

sts_refusals() {
    local out=$E2E_WORK/sts-refused.out keys ID SECRET TOKEN=""
    sts_iam create-user stranger > /dev/null
    keys=$(sts_iam create-access-key stranger)
    ID=$(sts_key AWS_ACCESS_KEY_ID "$keys") SECRET=$(sts_key AWS_SECRET_ACCESS_KEY "$keys")
    if sts_aws sts assume-role --role-arn "arn:aws:iam::$STS_ACCOUNT:role/pusher" --role-session-name x1 > "$out" 2>&1; then
        die "a user the trust policy does not name assumed the role"
    fi
    cat "$out"
    assert_contains "$out" "AccessDenied" "not trusted -> AccessDenied"
    [ -s "$STS_ROLE_CREDS" ] || die "no role session from the previous check"
    ID=$(jq -r .Credentials.AccessKeyId "$STS_ROLE_CREDS") SECRET=$(jq -r .Credentials.SecretAccessKey "$STS_ROLE_CREDS")
    TOKEN=$(jq -r .Credentials.SessionToken "$STS_ROLE_CREDS")
    TOKEN="${TOKEN:0:20}$([ "${TOKEN:20:1}" = A ] && echo B || echo A)${TOKEN:21}"
    if sts_aws ecr describe-repositories > "$out" 2>&1; then die "a tampered session token was accepted"; fi
    cat "$out"
    assert_contains "$out" "UnrecognizedClientException" "tampered token -> UnrecognizedClientException"
}

sts_mfa() {
    local out=$E2E_WORK/sts-mfa.json keys mfa serial secret code ID SECRET TOKEN="" pw
    sts_iam create-user alice > /dev/null
    keys=$(sts_iam create-access-key alice)
    cat > "$E2E_WORK/sts-mfa-policy.json" <<'JSON'
{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:CreateRepository","ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:BatchGetImage"],"Resource":"*"},
  {"Effect":"Allow","Action":"ecr:PutImage","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}
JSON
    sts_iam put-user-policy alice push "$E2E_WORK/sts-mfa-policy.json"
    mfa=$(sts_iam enable-mfa alice)
    serial=$(sts_key SERIAL_NUMBER "$mfa") secret=$(sts_key SECRET "$mfa")
    assert_eq "arn:aws:iam::$STS_ACCOUNT:mfa/alice" "$serial" "the device's serial number"
    ID=$(sts_key AWS_ACCESS_KEY_ID "$keys") SECRET=$(sts_key AWS_SECRET_ACCESS_KEY "$keys")
    sts_aws ecr create-repository --repository-name e2e/sts-mfa > /dev/null

    sts_aws sts get-session-token > "$out" # no MFA: a push is refused
    pw=$(ID=$(jq -r .Credentials.AccessKeyId "$out") SECRET=$(jq -r .Credentials.SecretAccessKey "$out") \
        TOKEN=$(jq -r .Credentials.SessionToken "$out") sts_aws ecr get-login-password)
    assert_fails "a push with a session without MFA" sts_push "$pw" e2e/sts-mfa:no-mfa

    code=$(sts_totp "$secret")
    sts_aws sts get-session-token --serial-number "$serial" --token-code "$code" > "$out"
    pw=$(ID=$(jq -r .Credentials.AccessKeyId "$out") SECRET=$(jq -r .Credentials.SecretAccessKey "$out") \
        TOKEN=$(jq -r .Credentials.SessionToken "$out") sts_aws ecr get-login-password)
    sts_push "$pw" e2e/sts-mfa:with-mfa
    assert_fails "the same code twice" sts_aws sts get-session-token --serial-number "$serial" --token-code "$code"
}

STS_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then STS_CHECKS=5; fi
run_sts() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "the sts section needs Wharf itself (registry is $WHARF_E2E_REGISTRY): not applicable"
        return 0
    fi
    check_main "sts: wharf with authentication on starts" sts_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check_main "sts: dockerd available" ensure_dockerd
    check "sts: create-role, assume-role, the session's get-login-password -> skopeo push, docker login, pull, push" sts_assume_role
    check "sts: a user the trust policy does not name and a tampered session token are refused" sts_refusals
    check "sts: enable-mfa, get-session-token --serial-number --token-code -> a push only MFA allows; a code once" sts_mfa
}
