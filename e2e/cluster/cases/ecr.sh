# shellcheck shell=bash
# ecr: the aws CLI (SigV4) through the load balancer and against each node; registry tokens minted by one
# node accepted by every other; docker logs in once through the LB and pushes round-robin; IAM changes
# made with `wharf iam` (through the database) take effect on every node.

ecr_create() {
    local repo=cluster/r$ROUND/ecr out=$E2E_WORK/ecr-create.json i
    aws_at "$LB" ecr create-repository --repository-name "$repo" > "$out"
    cat "$out"
    assert_eq "$repo" "$(jq -r .repository.repositoryName "$out")" "repositoryName"
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        aws_at "$(node "$i")" ecr describe-repositories --repository-names "$repo" \
            | jq -e --arg a "$(jq -r .repository.repositoryArn "$out")" '.repositories[0].repositoryArn == $a'
    done
}

ecr_tokens_everywhere() {
    local i j tok code
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        tok=$(aws_at "$(node "$i")" ecr get-login-password)
        assert_nonempty "$tok" "token minted by node $i"
        for ((j = 1; j <= CLUSTER_NODES; j++)); do
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "AWS:$tok" "http://$(node "$j")/v2/")
            assert_eq 200 "$code" "token of node $i on node $j"
        done
    done
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "AWS:${tok%?????}xxxxx" "http://$LB/v2/")
    assert_eq 401 "$code" "a forged token through the LB"
}

ecr_docker_round_robin() {
    local repo=cluster/r$ROUND/ecr pw out=$E2E_WORK/ecr-docker.out pushed="" t d i from
    pw=$(aws_at "$LB" ecr get-login-password)
    printf '%s' "$pw" | dk login -u AWS --password-stdin "$LB"
    dk image inspect cluster/tiny:latest > /dev/null || to skopeo copy --dest-daemon-host "unix://$DOCKER_SOCK" \
        "oci:$E2E_IMAGES/tiny:latest" docker-daemon:cluster/tiny:latest
    from=$(lb_log_lines)
    for t in a b c; do
        dk tag cluster/tiny:latest "$LB/$repo:$t"
        dk push "$LB/$repo:$t" 2>&1 | tee "$out"
        d=$(grep -Eo 'digest: sha256:[0-9a-f]{64}' "$out" | tail -n 1 | cut -d' ' -f2)
        assert_nonempty "$d" "digest of docker push $t"
        [ -z "$pushed" ] || assert_eq "$pushed" "$d" "same image under tag $t"
        pushed=$d
    done
    [ "$(lb_nodes_since "$from")" -eq "$CLUSTER_NODES" ] || die "the pushes did not reach all nodes"
    aws_at "$LB" ecr describe-images --repository-name "$repo" > "$E2E_WORK/ecr-describe.json"
    cat "$E2E_WORK/ecr-describe.json"
    assert_eq "$pushed" "$(jq -r '.imageDetails[0].imageDigest' "$E2E_WORK/ecr-describe.json")" "describe-images digest"
    assert_eq "a b c" "$(jq -r '.imageDetails[0].imageTags | sort | join(" ")' "$E2E_WORK/ecr-describe.json")" "tags"
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        aws_at "$(node "$i")" ecr batch-get-image --repository-name "$repo" --image-ids imageTag=b > "$E2E_WORK/ecr-get.json"
        assert_eq "$pushed" "sha256:$(jq -j '.images[0].imageManifest' "$E2E_WORK/ecr-get.json" | sha256sum | cut -d' ' -f1)" \
            "batch-get-image on node $i returns the exact manifest bytes"
    done
}

# aws CLI as an IAM user with the given keys against HOST:PORT
aws_as() { # ID SECRET HOST:PORT ARGS...
    local id=$1 secret=$2 at=$3; shift 3
    AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to /usr/bin/aws --endpoint-url "http://$at" "$@"
}

ecr_iam_everywhere() {
    local user=carol-r$ROUND creds id secret policy=$E2E_WORK/ecr-carol.json i k ok err=$E2E_WORK/ecr-carol.err
    mkdir -p "$E2E_WORK/cli-data"
    wharf_ iam --data "$E2E_WORK/cli-data" create-user "$user"
    creds=$(wharf_ iam --data "$E2E_WORK/cli-data" create-access-key "$user")
    id=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<< "$creds")
    secret=$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' <<< "$creds")
    assert_nonempty "$id" "access key of $user"
    printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}' > "$policy"
    wharf_ iam --data "$E2E_WORK/cli-data" put-user-policy "$user" ecr-all "$policy"
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        aws_as "$id" "$secret" "$(node "$i")" ecr describe-repositories --repository-names "cluster/r$ROUND/ecr" > /dev/null
    done
    echo "ok: $user's new key works on every node"
    wharf_ iam --data "$E2E_WORK/cli-data" delete-access-key "$id"
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        ok=""
        for ((k = 0; k < 40; k++)); do   # identity caches keep an answer a few seconds at most
            if ! aws_as "$id" "$secret" "$(node "$i")" ecr describe-repositories > /dev/null 2> "$err"; then ok=1; break; fi
            sleep 0.5
        done
        [ -n "$ok" ] || die "node $i still accepts $user's deleted key after 20 s"
        assert_contains "$err" UnrecognizedClientException "node $i refuses the deleted key"
    done
}

ECR_CHECKS=4
run_ecr() {
    check "ecr: create-repository through the LB (SigV4); describe-repositories on every node" ecr_create
    check "ecr: a registry token minted by any node is accepted by every node; a forged one is refused" ecr_tokens_everywhere
    check "ecr: docker login once through the LB, three pushes round-robin; describe-images, batch-get-image on every node agree" ecr_docker_round_robin
    check "ecr: a key made with wharf iam works on every node; deleted, every node refuses it within 20 s" ecr_iam_everywhere
}
