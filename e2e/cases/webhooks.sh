# shellcheck shell=bash
# webhooks: a Wharf with authentication on and the docs' "deploy on push" receiver (docs/examples/deploy_on_push.py:
# python3, verifies Wharf-Signature, drops duplicates, pulls the pushed digest with skopeo). Subscribed with
# `wharf webhooks create --secret-stdin`; a skopeo push of tiny is deployed by digest, byte-identical; the delivery
# log shows it; a forged request is refused by the receiver; a subscription to a dead receiver dead-letters, and
# `wharf webhooks replay` beside the running server delivers once a receiver is back. See docs/webhooks.md.

WH_SECRET=e2e-webhook-secret-0123456789abcdef
WH_OTHER_SECRET=e2e-other-secret-0123456789abcdef

wh_wharf() { "$REPO/bin/wharf" "$@" --data "$WH_DATA"; }
wh_api() { # METHOD PATH [curl args...]
    local m=$1 p=$2
    shift 2
    to curl -sS --fail-with-body -u "AWS:$WH_TOKEN" -X "$m" "http://127.0.0.1:$WH_PORT/wharf/v1/$p" "$@"
}
wh_receiver() { # PORT SECRET DEPLOY_DIR LOG
    WEBHOOK_SECRET=$2 REGISTRY=127.0.0.1:$WH_PORT PORT=$1 DEPLOY_DIR=$3 \
        SKOPEO_ARGS="--src-tls-verify=false --src-creds AWS:$WH_TOKEN" \
        python3 "$REPO/docs/examples/deploy_on_push.py" >> "$4" 2>&1 &
    register_pid "$!" "webhook receiver on $1 (webhooks section)"
    WH_LAST_RECEIVER=$!
    local i
    for ((i = 0; i < 100; i++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    die "the receiver on port $1 did not start"
}
wh_wait() { # SECONDS DESCRIPTION CMD...
    local n=$1 what=$2 i
    shift 2
    for ((i = 0; i < n * 4; i++)); do
        if "$@"; then return 0; fi
        sleep 0.25
    done
    die "not within ${n}s: $what"
}
wh_count_is() { # ID STATE N: whether N deliveries of the subscription are in STATE now
    [ "$(wh_api GET "webhooks/$1" | jq -r ".deliveryCounts.$2")" = "$3" ]
}

wh_start() {
    WH_DATA=$E2E_WORK/wh-data
    WH_PORT=$(free_port)
    WHARF_AUTH_ENABLED=true WHARF_WEBHOOKS_INITIAL_BACKOFF=PT0.5S WHARF_WEBHOOKS_MAX_BACKOFF=PT1S \
        WHARF_WEBHOOKS_MAX_ATTEMPTS=2 WHARF_WEBHOOKS_TIMEOUT=PT5S \
        wharf_serve "$E2E_WORK/wh-wharf.log" --listen "127.0.0.1:$WH_PORT" --data "$WH_DATA" &
    register_pid "$!" "wharf (webhooks section)"
    wait_http "http://127.0.0.1:$WH_PORT/v2/" "$E2E_START_TIMEOUT" "401" "$!"
    WH_TOKEN=$(wh_wharf iam login-password --root)
    WH_RECEIVER_PORT=$(free_port)
    mkdir -p "$E2E_WORK/wh-deployed"
    wh_receiver "$WH_RECEIVER_PORT" "$WH_SECRET" "$E2E_WORK/wh-deployed" "$E2E_WORK/wh-receiver.log"
}

wh_subscribe() {
    local out
    out=$(printf %s "$WH_SECRET" | wh_wharf webhooks create "http://127.0.0.1:$WH_RECEIVER_PORT/deploy" \
        --repository 'team/*' --event-type ImagePushed --secret-stdin)
    WH_ID=${out%%$'\t'*}
    assert_eq "$WH_SECRET" "${out#*$'\t'}" "the secret printed once"
    echo "$WH_ID" > "$E2E_WORK/wh-id"
    wh_api GET webhooks > "$E2E_WORK/wh-list.json"
    cat "$E2E_WORK/wh-list.json"; echo
    assert_eq "$WH_ID" "$(jq -r '.webhooks[0].id' "$E2E_WORK/wh-list.json")" "the API lists the CLI's subscription"
    assert_eq "team/*" "$(jq -r '.webhooks[0].repository' "$E2E_WORK/wh-list.json")" "repository filter"
    jq -e '.webhooks[0] | has("secret") | not' "$E2E_WORK/wh-list.json" > /dev/null || die "the list shows the secret"
}

wh_deploy_on_push() {
    local id want deployed
    id=$(cat "$E2E_WORK/wh-id")
    want=$(layout_digest "$E2E_IMAGES/tiny" latest)
    to skopeo copy --preserve-digests --dest-tls-verify=false --dest-creds "AWS:$WH_TOKEN" \
        "oci:$E2E_IMAGES/tiny:latest" "docker://127.0.0.1:$WH_PORT/team/app:v1"
    to skopeo copy --preserve-digests --dest-tls-verify=false --dest-creds "AWS:$WH_TOKEN" \
        "oci:$E2E_IMAGES/tiny:latest" "docker://127.0.0.1:$WH_PORT/elsewhere/app:v1"
    wh_wait 30 "the receiver deployed team/app@$want" grep -q "^deployed team/app@$want\$" "$E2E_WORK/wh-receiver.log"
    cat "$E2E_WORK/wh-receiver.log"
    deployed=$E2E_WORK/wh-deployed/team_app@${want/:/-}
    assert_layouts_identical "$E2E_IMAGES/tiny" latest "$deployed" deployed
    assert_eq 1 "$(grep -c '^deployed' "$E2E_WORK/wh-receiver.log")" "deployments (elsewhere/app is not under team/)"
    wh_wait 10 "the delivery recorded" wh_count_is "$id" DELIVERED 1
}

wh_log_and_forgery() {
    local id body
    id=$(cat "$E2E_WORK/wh-id")
    wh_api GET "webhooks/$id" > "$E2E_WORK/wh-show.json"
    cat "$E2E_WORK/wh-show.json"; echo
    assert_eq 202 "$(jq -r .lastAttempt.status "$E2E_WORK/wh-show.json")" "last status"
    assert_eq 0 "$(jq -r '.deliveries | length' "$E2E_WORK/wh-show.json")" "rows in the log (a first attempt that succeeds leaves none)"
    wh_wharf webhooks show "$id" > "$E2E_WORK/wh-show-cli.json"
    assert_eq 1 "$(jq -r .deliveryCounts.DELIVERED "$E2E_WORK/wh-show-cli.json")" "wharf webhooks show"
    body='{"id":"forged","detail-type":"ECR Image Action","detail":{"action-type":"PUSH","repository-name":"team/app","image-digest":"sha256:00"}}'
    assert_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Wharf-Signature: t=$(date +%s),v1=$(printf '0%.0s' {1..64})" \
        --data "$body" "http://127.0.0.1:$WH_RECEIVER_PORT/deploy")" "a forged delivery"
}

wh_dead_letter_and_replay() {
    local port out id
    port=$(free_port)
    out=$(printf %s "$WH_OTHER_SECRET" | wh_wharf webhooks create "http://127.0.0.1:$port/" --repository other \
        --event-type ImagePushed --secret-stdin)
    id=${out%%$'\t'*}
    to skopeo copy --preserve-digests --dest-tls-verify=false --dest-creds "AWS:$WH_TOKEN" \
        "oci:$E2E_IMAGES/tiny:latest" "docker://127.0.0.1:$WH_PORT/other:v1"
    wh_wait 30 "the delivery to a dead receiver is dead-lettered" wh_count_is "$id" DEAD 1
    wh_api GET "webhooks/$id?state=DEAD" | jq -e '.deliveries[0].attempts == 2 and .deliveries[0].lastAttempt.status == 0'
    mkdir -p "$E2E_WORK/wh-deployed-2"
    wh_receiver "$port" "$WH_OTHER_SECRET" "$E2E_WORK/wh-deployed-2" "$E2E_WORK/wh-receiver-2.log"
    # started inside this check's subshell, so e2e/run does not know it: stopped when the check ends
    trap 'rc=$?; kill "$WH_LAST_RECEIVER" 2> /dev/null; wait "$WH_LAST_RECEIVER" 2> /dev/null || true; exit $rc' EXIT
    assert_eq 1 "$(wh_wharf webhooks replay "$id")" "replayed"
    wh_wait 30 "the replayed delivery arrives" grep -q '^deployed other@' "$E2E_WORK/wh-receiver-2.log"
    wh_wait 10 "the replay recorded as delivered" wh_count_is "$id" DELIVERED 1
}

# The checks run_webhooks runs (e2e/run fails the section when another number ran); none unless Wharf.
WEBHOOKS_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then WEBHOOKS_CHECKS=5; fi
run_webhooks() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "webhooks: Wharf only"
        return 0
    fi
    check_main "webhooks: a Wharf with authentication on and the deploy-on-push receiver start" wh_start
    check "webhooks: wharf webhooks create (secret from stdin), listed by the API without its secret" wh_subscribe
    check "webhooks: skopeo push -> the receiver verifies the signature and pulls the pushed digest, byte-identical" wh_deploy_on_push
    check "webhooks: the delivery log (API and CLI) shows it delivered; a forged request is refused" wh_log_and_forgery
    check "webhooks: a dead receiver dead-letters; wharf webhooks replay delivers once it is back" wh_dead_letter_and_replay
}
