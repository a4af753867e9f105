# shellcheck shell=bash
# audit: the audit trail (docs/audit.md) as an operator reads it. A Wharf with authentication on; a scripted aws CLI
# session as the root (create-repository, set-repository-policy, describe-repositories, get-login-password, a skopeo
# push, batch-delete-image, delete-repository) and a call a second user is refused; then `aws cloudtrail
# lookup-events --endpoint-url` and `wharf audit` must show every one of those calls with its principal.

AUDIT_REPO=e2e/audited

audit_aws() { # ID SECRET ARGS...
    local id=$1 secret=$2; shift 2
    AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to /usr/bin/aws --endpoint-url "http://$AR" "$@"
}
audit_root() { audit_aws "$AUDIT_ROOT_ID" "$AUDIT_ROOT_SECRET" "$@"; }

audit_start() {
    AUDIT_DATA=$E2E_WORK/audit-data
    AR=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=true WHARF_AUDIT_READ_SAMPLE_RATE=0 WHARF_AUDIT_MAX_DELAY=50ms \
        wharf_serve "$E2E_WORK/audit-registry.log" --listen "$AR" --data "$AUDIT_DATA" &
    AUDIT_PID=$!
    register_pid "$AUDIT_PID" "wharf with the audit trail (audit section)"
    wait_http "http://$AR/v2/" "$E2E_START_TIMEOUT" "401" "$AUDIT_PID"
    AUDIT_ROOT_ID=$(sed -n 's/^aws_access_key_id *= *//p' "$AUDIT_DATA/root-credentials")
    AUDIT_ROOT_SECRET=$(sed -n 's/^aws_secret_access_key *= *//p' "$AUDIT_DATA/root-credentials")
    assert_nonempty "$AUDIT_ROOT_ID" "the root's access key"
    to "$REPO/bin/wharf" iam --data "$AUDIT_DATA" create-user mallory > /dev/null
    local creds
    creds=$(to "$REPO/bin/wharf" iam --data "$AUDIT_DATA" create-access-key mallory)
    MALLORY_ID=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<< "$creds")
    MALLORY_SECRET=$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' <<< "$creds")
    assert_nonempty "$MALLORY_ID" "mallory's access key"
}

audit_session() {
    local out=$E2E_WORK/audit-denied.out pw
    audit_root ecr create-repository --repository-name "$AUDIT_REPO" > /dev/null
    audit_root ecr set-repository-policy --repository-name "$AUDIT_REPO" --policy-text \
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:ListImages"}]}' > /dev/null
    audit_root ecr describe-repositories --repository-names "$AUDIT_REPO" | jq -e '.repositories | length == 1'
    pw=$(audit_root ecr get-login-password)
    to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" "oci:$E2E_IMAGES/tiny:latest" "docker://$AR/$AUDIT_REPO:v1"
    audit_root ecr batch-delete-image --repository-name "$AUDIT_REPO" --image-ids imageTag=v1 | jq -e '.imageIds | length == 1'
    if audit_aws "$MALLORY_ID" "$MALLORY_SECRET" ecr describe-repositories > "$out" 2>&1; then
        die "mallory, who has no policy, was allowed describe-repositories"
    fi
    assert_contains "$out" "AccessDeniedException" "mallory is refused"
    audit_root ecr delete-repository --repository-name "$AUDIT_REPO" --force > /dev/null
    sleep 1 # the writer appends within audit.max-delay (50ms here)
}

# every call of the session, with its principal, through CloudTrail's API
audit_lookup_events() {
    local out=$E2E_WORK/audit-lookup.json name
    audit_root cloudtrail lookup-events --max-results 50 > "$out"
    jq -c '.Events[] | [.EventName, .Username, .ReadOnly]' "$out"
    for name in CreateRepository SetRepositoryPolicy DescribeRepositories GetAuthorizationToken InitiateLayerUpload \
        CompleteLayerUpload PutImage BatchDeleteImage DeleteRepository; do
        jq -e --arg n "$name" '[.Events[] | select(.EventName == $n and .Username == "root")] | length >= 1' "$out" \
            > /dev/null || die "no $name by root in lookup-events"
    done
    jq -e '[.Events[] | select(.Username == "mallory") | .CloudTrailEvent | fromjson
        | select(.eventName == "DescribeRepositories" and .errorCode == "AccessDeniedException")] | length == 1' "$out"
    audit_root cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=mallory > "$out"
    jq -e '.Events | length == 1' "$out"
    audit_root cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=PutImage > "$out"
    jq -e --arg r "$AUDIT_REPO" '.Events[0].Resources[0].ResourceName == $r' "$out"
}

# the same calls read from the database by the CLI, with the principal's ARN
audit_cli() {
    local out=$E2E_WORK/audit-cli.jsonl account
    to "$REPO/bin/wharf" audit --data "$AUDIT_DATA" --since 1h --json --limit 1000 > "$out"
    account=$(head -n1 "$out" | jq -r .recipientAccountId)
    jq -e -s --arg a "arn:aws:iam::$account:root" '[.[] | select(.eventName == "PutImage" and .userIdentity.arn == $a)]
        | length == 1' "$out"
    jq -e -s --arg a "arn:aws:iam::$account:user/mallory" '[.[] | select(.userIdentity.arn == $a)] | length == 1' "$out"
    to "$REPO/bin/wharf" audit --data "$AUDIT_DATA" --principal mallory > "$out"
    cat "$out"
    assert_contains "$out" "DescribeRepositories .*user/mallory" "wharf audit --principal"
    to "$REPO/bin/wharf" audit --data "$AUDIT_DATA" --repository "$AUDIT_REPO" --event-name DeleteRepository --json > "$out"
    [ "$(wc -l < "$out")" -eq 1 ] || die "wharf audit --repository --event-name: $(cat "$out")"
}

# The checks run_audit runs (e2e/run fails the section when another number ran); none when the registry
# under test is not Wharf.
AUDIT_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then AUDIT_CHECKS=4; fi
run_audit() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "the audit section needs Wharf itself (registry is $WHARF_E2E_REGISTRY): not applicable"
        return 0
    fi
    check_main "audit: wharf with authentication on starts; a second user without a policy" audit_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "audit: an aws CLI session, a skopeo push and a refused call" audit_session
    check "audit: aws cloudtrail lookup-events shows every call with its principal" audit_lookup_events
    check "audit: wharf audit shows them too, filtered by principal, repository and event name" audit_cli
    stop_pid "$AUDIT_PID" "wharf (audit section)"
}
