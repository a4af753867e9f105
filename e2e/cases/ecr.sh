# shellcheck shell=bash
# ecr: the Amazon ECR control plane and ECR-style registry authentication, driven by Debian's aws CLI v2
# (called by full path: another `aws` may come first on PATH) against a second Wharf started with
# authentication on. The flow of a real ECR user: create-repository -> get-login-password piped to
# docker/podman/skopeo logins -> push -> list/describe/batch-get -> tag immutability -> a repository
# policy that denies a second user's pull -> batch-delete-image -> delete-repository --force -> lifecycle
# preview, wait, and a scheduled run that expires exactly the previewed images.

AWS=/usr/bin/aws
ECR_REPO=e2e/ecr-app

# aws CLI as the root of the account (credentials file written by wharf on first start)
aws_root() {
    AWS_SHARED_CREDENTIALS_FILE=$ECR_DATA/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$AWS" --endpoint-url "http://$ER" "$@"
}
# aws CLI as user bob (keys created with `wharf iam`)
aws_bob() {
    AWS_ACCESS_KEY_ID=$BOB_ID AWS_SECRET_ACCESS_KEY=$BOB_SECRET AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to "$AWS" --endpoint-url "http://$ER" "$@"
}
wharf_iam() { to "$REPO/bin/wharf" iam --data "$ECR_DATA" "$@"; }

ecr_start() {
    ECR_DATA=$E2E_WORK/ecr-data
    ECR_PORT=$(free_port)
    ER=127.0.0.1:$ECR_PORT
    WHARF_AUTH_ENABLED=true wharf_serve "$E2E_WORK/ecr-registry.log" --listen "$ER" --data "$ECR_DATA" &
    ECR_PID=$!
    register_pid "$ECR_PID" "wharf with auth (ecr section)"
    "$AWS" --version
    wait_http "http://$ER/v2/" "$E2E_START_TIMEOUT" "401" "$ECR_PID"
    [ -s "$ECR_DATA/root-credentials" ] || { echo "no $ECR_DATA/root-credentials"; return 1; }
}

# podman's private storage: the driver chosen and podman answering on it
ecr_storage_ready() {
    choose_storage_driver
    podman_ version
}

ecr_refuses_anonymous_and_bad_keys() {
    local h=$E2E_WORK/ecr-anon-headers out=$E2E_WORK/ecr-bad.out
    curl -s -o /dev/null -D "$h" --max-time 10 "http://$ER/v2/"
    cat "$h"
    assert_contains "$h" '^HTTP/[0-9.]+ 401' "anonymous GET /v2/ is 401"
    assert_contains "$h" "^[Ww][Ww][Ww]-[Aa]uthenticate: Basic realm=\"http://$ER/\",service=\"ecr.amazonaws.com\"" "ECR's challenge"
    assert_fails "anonymous pull" skopeo inspect --tls-verify=false --raw "docker://$ER/$ECR_REPO:v1"
    local id
    id=$(sed -n 's/^aws_access_key_id *= *//p' "$ECR_DATA/root-credentials")
    if AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=wrongwrongwrongwrongwrongwrongwrongwrong AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null \
        to "$AWS" --endpoint-url "http://$ER" ecr describe-repositories > "$out" 2>&1; then
        die "a wrong secret was accepted"
    fi
    cat "$out"
    assert_contains "$out" "InvalidSignatureException" "wrong secret -> InvalidSignatureException"
    if AWS_ACCESS_KEY_ID=AKIAUNKNOWNUNKNOWN00 AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null \
        to "$AWS" --endpoint-url "http://$ER" ecr describe-repositories > "$out" 2>&1; then
        die "an unknown access key was accepted"
    fi
    assert_contains "$out" "UnrecognizedClientException" "unknown key -> UnrecognizedClientException"
}

# STS GetCallerIdentity (the aws CLI posts the query protocol, signed for "sts"): the root, a user without any
# policy (no permission is needed), and a wrong secret refused in STS's own error
ecr_sts_caller_identity() {
    local out=$E2E_WORK/ecr-sts.json account creds
    aws_root sts get-caller-identity > "$out"
    cat "$out"
    account=$(jq -r .Account "$out")
    [[ "$account" =~ ^[0-9]{12}$ ]] || die "Account is not an account id: $account"
    assert_eq "arn:aws:iam::$account:root" "$(jq -r .Arn "$out")" "the root's Arn"
    assert_eq "$account" "$(jq -r .UserId "$out")" "the root's UserId is the account"
    wharf_iam create-user carol > /dev/null
    creds=$(wharf_iam create-access-key carol)
    AWS_ACCESS_KEY_ID=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<< "$creds") \
        AWS_SECRET_ACCESS_KEY=$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' <<< "$creds") AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to "$AWS" --endpoint-url "http://$ER" sts get-caller-identity > "$out"
    cat "$out"
    assert_eq "arn:aws:iam::$account:user/carol" "$(jq -r .Arn "$out")" "carol's Arn"
    jq -e '.UserId | test("^AIDA[A-Z2-7]{17}$")' "$out"
    if AWS_ACCESS_KEY_ID=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<< "$creds") \
        AWS_SECRET_ACCESS_KEY=wrongwrongwrongwrongwrongwrongwrongwrong AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null \
        to "$AWS" --endpoint-url "http://$ER" sts get-caller-identity > "$out" 2>&1; then
        die "a wrong secret was accepted by STS"
    fi
    cat "$out"
    assert_contains "$out" "SignatureDoesNotMatch" "wrong secret -> SignatureDoesNotMatch"
}

# The Terraform AWS provider without skip_credentials_validation / skip_requesting_account_id: it calls STS
# GetCallerIdentity at start-up; aws_caller_identity shows what it learnt. A machine without terraform fails.
ecr_terraform_without_skip_flags() {
    local dir=$E2E_WORK/ecr-tf
    [ -x /usr/local/bin/terraform ] || die "terraform is not installed (/usr/local/bin/terraform)"
    [ -d /opt/tf-plugins ] || die "no Terraform provider mirror in /opt/tf-plugins"
    mkdir -p "$dir"
    printf 'provider_installation {\n  filesystem_mirror { path = "/opt/tf-plugins" }\n}\n' > "$dir/cli.tfrc"
    cat > "$dir/main.tf" <<EOF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region                  = "us-east-1"
  skip_metadata_api_check = true
  skip_region_validation  = true
  endpoints {
    ecr = "http://$ER"
    sts = "http://$ER"
  }
}
data "aws_caller_identity" "me" {}
output "account" { value = data.aws_caller_identity.me.account_id }
output "arn" { value = data.aws_caller_identity.me.arn }
EOF
    local tf=(env TF_CLI_CONFIG_FILE="$dir/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
        AWS_SHARED_CREDENTIALS_FILE="$ECR_DATA/root-credentials" AWS_PROFILE=wharf AWS_CONFIG_FILE=/dev/null
        /usr/local/bin/terraform -chdir="$dir")
    to "${tf[@]}" init -input=false -no-color
    to "${tf[@]}" apply -auto-approve -input=false -no-color
    assert_eq "000000000000" "$(to "${tf[@]}" output -raw account)" "the account id the provider learnt"
    assert_eq "arn:aws:iam::000000000000:root" "$(to "${tf[@]}" output -raw arn)" "the caller's ARN"
    to "${tf[@]}" destroy -auto-approve -input=false -no-color
}

ecr_create_repository() {
    local out=$E2E_WORK/ecr-create.json
    aws_root ecr create-repository --repository-name "$ECR_REPO" > "$out"
    cat "$out"
    assert_eq "$ECR_REPO" "$(jq -r .repository.repositoryName "$out")" "repositoryName"
    assert_eq "MUTABLE" "$(jq -r .repository.imageTagMutability "$out")" "default tag mutability"
    assert_eq "$ER/$ECR_REPO" "$(jq -r .repository.repositoryUri "$out")" "repositoryUri points at this registry"
    aws_root ecr describe-repositories --repository-names "$ECR_REPO" | jq -e '.repositories | length == 1'
}

# get-login-password piped into each client's login, then a push with each
ecr_login_and_push() {
    local pw
    pw=$(aws_root ecr get-login-password)
    assert_nonempty "$pw" "get-login-password"
    # skopeo: --dest-creds AWS:<password>
    to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" "oci:$E2E_IMAGES/tiny:latest" "docker://$ER/$ECR_REPO:v1"
    # podman: login from stdin, then pull and push another tag
    printf '%s' "$pw" | podman_ login --tls-verify=false -u AWS --password-stdin "$ER"
    podman_ pull --tls-verify=false "$ER/$ECR_REPO:v1"
    podman_ tag "$ER/$ECR_REPO:v1" "$ER/$ECR_REPO:podman"
    podman_ push --tls-verify=false "$ER/$ECR_REPO:podman"
    # docker: login from stdin, pull, push another tag (dockerd was started by run_ecr)
    printf '%s' "$pw" | dk login -u AWS --password-stdin "$ER"
    dk pull "$ER/$ECR_REPO:v1"
    dk tag "$ER/$ECR_REPO:v1" "$ER/$ECR_REPO:docker"
    dk push "$ER/$ECR_REPO:docker"
    aws_root ecr list-images --repository-name "$ECR_REPO" \
        | jq -e '[.imageIds[].imageTag] | contains(["v1", "podman", "docker"])'
}

ecr_list_describe_get() {
    local pushed out=$E2E_WORK/ecr-list.json
    pushed=$(to skopeo inspect --tls-verify=false --creds "AWS:$(aws_root ecr get-login-password)" --raw \
        "docker://$ER/$ECR_REPO:v1" | sha256sum | cut -d' ' -f1)
    aws_root ecr list-images --repository-name "$ECR_REPO" > "$out"
    cat "$out"
    jq -e --arg d "sha256:$pushed" '[.imageIds[] | select(.imageDigest == $d and .imageTag == "v1")] | length == 1' "$out"
    aws_root ecr describe-images --repository-name "$ECR_REPO" --image-ids imageTag=v1 > "$out"
    cat "$out"
    assert_eq "sha256:$pushed" "$(jq -r '.imageDetails[0].imageDigest' "$out")" "describe-images digest"
    # the CLI renders the wire's epoch seconds as ISO text; the SDK tests check the wire form itself
    jq -e '.imageDetails[0].imageSizeInBytes > 0 and (.imageDetails[0].imagePushedAt | length > 0)' "$out"
    aws_root ecr batch-get-image --repository-name "$ECR_REPO" --image-ids imageTag=v1 > "$out"
    assert_eq "sha256:$pushed" "sha256:$(jq -j '.images[0].imageManifest' "$out" | sha256sum | cut -d' ' -f1)" \
        "batch-get-image returns the exact manifest bytes"
}

ecr_immutable_tags() {
    local pw err=$E2E_WORK/ecr-immutable.err
    aws_root ecr put-image-tag-mutability --repository-name "$ECR_REPO" --image-tag-mutability IMMUTABLE \
        | jq -e '.imageTagMutability == "IMMUTABLE"'
    pw=$(aws_root ecr get-login-password)
    # the same image again under the same tag is no change: allowed
    to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" "oci:$E2E_IMAGES/tiny:latest" "docker://$ER/$ECR_REPO:v1"
    # another image under that tag: refused
    if to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" "oci:$E2E_IMAGES/tiny:arm64" \
        "docker://$ER/$ECR_REPO:v1" 2> "$err"; then
        die "an immutable tag was moved"
    fi
    cat "$err"
    assert_contains "$err" "the tag is immutable" "refusal names the immutable tag"
}

ecr_policy_denies_second_user() {
    local creds policy=$E2E_WORK/ecr-bob-policy.json repo_policy=$E2E_WORK/ecr-repo-policy.json bob_arn pw
    bob_arn=$(wharf_iam create-user bob)
    creds=$(wharf_iam create-access-key bob)
    BOB_ID=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<< "$creds")
    BOB_SECRET=$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' <<< "$creds")
    printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}' > "$policy"
    wharf_iam put-user-policy bob ecr-all "$policy"
    # before the repository policy bob may pull
    pw=$(aws_bob ecr get-login-password)
    to skopeo inspect --tls-verify=false --creds "AWS:$pw" --raw "docker://$ER/$ECR_REPO:v1" > /dev/null
    cat > "$repo_policy" <<EOF
{"Version":"2012-10-17","Statement":[{"Sid":"NoBob","Effect":"Deny","Principal":{"AWS":"$bob_arn"},
 "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}
EOF
    aws_root ecr set-repository-policy --repository-name "$ECR_REPO" --policy-text "file://$repo_policy" > /dev/null
    aws_root ecr get-repository-policy --repository-name "$ECR_REPO" | jq -e '.policyText | fromjson | .Statement[0].Sid == "NoBob"'
    # policies apply within seconds (identity caches have a short TTL)
    local i denied=""
    for i in $(seq 1 30); do
        if ! to skopeo inspect --tls-verify=false --creds "AWS:$pw" --raw "docker://$ER/$ECR_REPO:v1" \
            > /dev/null 2> "$E2E_WORK/ecr-bob.err"; then denied=1; break; fi
        sleep 1
    done
    [ -n "$denied" ] || die "bob could still pull after the deny policy"
    cat "$E2E_WORK/ecr-bob.err"
    # refused for the policy's reason (not, say, a token problem or a server error)
    assert_contains "$E2E_WORK/ecr-bob.err" "User: $bob_arn is not authorized to perform: ecr:BatchGetImage" \
        "bob's pull is denied by the repository policy"
    # the root still pulls
    to skopeo inspect --tls-verify=false --creds "AWS:$(aws_root ecr get-login-password)" --raw \
        "docker://$ER/$ECR_REPO:v1" > /dev/null
}

ecr_delete() {
    local out=$E2E_WORK/ecr-delete.json
    aws_root ecr batch-delete-image --repository-name "$ECR_REPO" --image-ids imageTag=podman > "$out"
    cat "$out"
    jq -e '.imageIds | length == 1' "$out"
    aws_root ecr list-images --repository-name "$ECR_REPO" | jq -e '[.imageIds[] | select(.imageTag == "podman")] | length == 0'
    aws_root ecr delete-repository --repository-name "$ECR_REPO" --force | jq -e --arg r "$ECR_REPO" '.repository.repositoryName == $r'
    if aws_root ecr describe-repositories --repository-names "$ECR_REPO" > "$out" 2>&1; then die "repository still there"; fi
    assert_contains "$out" "RepositoryNotFoundException" "deleted repository is gone"
}

ecr_expired_token() {
    # a second server whose registry tokens live two seconds
    local data=$E2E_WORK/ecr-short port pw err=$E2E_WORK/ecr-expired.err
    port=$(free_port)
    WHARF_AUTH_ENABLED=true WHARF_AUTH_TOKEN_TTL=2s wharf_serve "$E2E_WORK/ecr-short.log" --listen "127.0.0.1:$port" --data "$data" &
    ECR_SHORT_PID=$!
    # this check runs in a subshell: it stops its own server, whatever happens
    trap 'stop_pid "$ECR_SHORT_PID" "wharf with 2 s tokens"' EXIT
    wait_http "http://127.0.0.1:$port/v2/" "$E2E_START_TIMEOUT" "401" "$ECR_SHORT_PID"
    pw=$(AWS_SHARED_CREDENTIALS_FILE=$data/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null to "$AWS" --endpoint-url "http://127.0.0.1:$port" ecr get-login-password)
    curl -sf --max-time 10 -u "AWS:$pw" "http://127.0.0.1:$port/v2/" > /dev/null
    sleep 3
    curl -s --max-time 10 -u "AWS:$pw" -D "$err" "http://127.0.0.1:$port/v2/_catalog" >> "$err"
    cat "$err"
    assert_contains "$err" '^HTTP/[0-9.]+ 40[13]' "expired token refused"
    assert_contains "$err" "token has expired" "the refusal says the token expired"
}

# lifecycle: a second server that runs lifecycle policies every 3 s. The preview is of a draft policy (a run never
# touches a repository without a stored policy, so nothing can expire before the preview is taken); then the same
# text is put, and once a run has evaluated it exactly the previewed images are gone. Garbage collection runs every
# 2 s with a 10 s grace period: the expired image's own blobs then leave the disk (du falls by their bytes), and the
# kept image still pulls with every blob's bytes matching its digest.
ecr_lifecycle() {
    local data=$E2E_WORK/ecr-lifecycle port pw repo=e2e/lifecycle out=$E2E_WORK/ecr-lifecycle.json i
    local policy='{"rules":[{"rulePriority":1,"description":"keep the newest","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}'
    port=$(free_port)
    WHARF_AUTH_ENABLED=true WHARF_LIFECYCLE_INTERVAL=3s WHARF_GC_INTERVAL=2s WHARF_GC_GRACE_PERIOD=10s \
        wharf_serve "$E2E_WORK/ecr-lifecycle.log" --listen "127.0.0.1:$port" --data "$data" &
    ECR_LIFE_PID=$!
    trap 'stop_pid "$ECR_LIFE_PID" "wharf with 3 s lifecycle runs"' EXIT
    wait_http "http://127.0.0.1:$port/v2/" "$E2E_START_TIMEOUT" "401" "$ECR_LIFE_PID"
    aws_l() {
        AWS_SHARED_CREDENTIALS_FILE=$data/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
            AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$AWS" --endpoint-url "http://127.0.0.1:$port" "$@"
    }
    aws_l ecr create-repository --repository-name "$repo" > /dev/null
    pw=$(aws_l ecr get-login-password)
    to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" "oci:$E2E_IMAGES/tiny:latest" \
        "docker://127.0.0.1:$port/$repo:older"
    to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" "oci:$E2E_IMAGES/tiny:arm64" \
        "docker://127.0.0.1:$port/$repo:newer"
    aws_l ecr start-lifecycle-policy-preview --repository-name "$repo" --lifecycle-policy-text "$policy"
    aws_l ecr wait lifecycle-policy-preview-complete --repository-name "$repo"
    aws_l ecr get-lifecycle-policy-preview --repository-name "$repo" > "$out"
    cat "$out"
    jq -e '.status == "COMPLETE" and (.previewResults | length == 1) and .previewResults[0].imageTags == ["older"]
        and .previewResults[0].action.type == "EXPIRE" and .summary.expiringImageTotalCount == 1' "$out"
    jq -r '.previewResults[].imageDigest' "$out" | sort > "$E2E_WORK/ecr-lifecycle-previewed"
    aws_l ecr describe-images --repository-name "$repo" | jq -r '.imageDetails[].imageDigest' | sort \
        > "$E2E_WORK/ecr-lifecycle-before"
    aws_l ecr put-lifecycle-policy --repository-name "$repo" --lifecycle-policy-text "$policy" > /dev/null
    for i in $(seq 1 30); do
        aws_l ecr get-lifecycle-policy --repository-name "$repo" > "$out"
        jq -e 'has("lastEvaluatedAt")' "$out" > /dev/null && break
        sleep 1
    done
    cat "$out"
    jq -e 'has("lastEvaluatedAt")' "$out" || die "no lifecycle run within 30 s"
    aws_l ecr describe-images --repository-name "$repo" | jq -r '.imageDetails[].imageDigest' | sort \
        > "$E2E_WORK/ecr-lifecycle-after"
    assert_eq "$(comm -23 "$E2E_WORK/ecr-lifecycle-before" "$E2E_WORK/ecr-lifecycle-after")" \
        "$(cat "$E2E_WORK/ecr-lifecycle-previewed")" "the run expired exactly the previewed images"
    lifecycle_gc "$data" "127.0.0.1:$port" "$repo" "$pw"
}

# The blobs of the expired image (tiny:latest) that the kept one (tiny:arm64) does not share go within 40 s.
lifecycle_gc() {
    local data=$1 addr=$2 repo=$3 pw=$4 gone=$E2E_WORK/ecr-lifecycle-gone kept=$E2E_WORK/ecr-lifecycle-kept before after d f i
    blob_digests() { skopeo inspect --raw "oci:$E2E_IMAGES/tiny:$1" | jq -r '.config.digest, .layers[].digest' | sort; }
    comm -23 <(blob_digests latest) <(blob_digests arm64) > "$gone"
    [ -s "$gone" ] || die "the two tiny images share every blob: nothing to collect"
    before=$(du -sb "$data/blobs" | cut -f1)
    d=$(head -n 1 "$gone")
    for i in $(seq 1 40); do
        [ -e "$data/blobs/sha256/${d:7:2}/${d#sha256:}" ] || break
        sleep 1
    done
    after=$(du -sb "$data/blobs" | cut -f1)
    [ "$after" -lt "$before" ] || die "du of the blobs did not fall within 40 s ($before -> $after bytes)"
    while read -r d; do
        [ ! -e "$data/blobs/sha256/${d:7:2}/${d#sha256:}" ] || die "$d of the expired image is still on disk"
        assert_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' -u "AWS:$pw" "http://$addr/v2/$repo/blobs/$d")" \
            "GET of the expired image's blob $d"
    done < "$gone"
    echo "du of $data/blobs: $before -> $after bytes; $(wc -l < "$gone") blobs collected"
    rm -rf "$kept"
    to skopeo copy --src-tls-verify=false --src-creds "AWS:$pw" "docker://$addr/$repo:newer" "dir:$kept"
    for f in "$kept"/*; do
        case $(basename "$f") in manifest.json | version) continue ;; esac
        assert_eq "$(basename "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "bytes of the kept image's blob $(basename "$f")"
    done
}

# The checks run_ecr runs (e2e/run fails the section when another number ran); none when the registry
# under test is not Wharf.
ECR_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then ECR_CHECKS=14; fi
run_ecr() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "the ECR section needs Wharf itself (registry is $WHARF_E2E_REGISTRY): not applicable"
        return 0
    fi
    # A setup step that fails ends the section: e2e/run then reports the checks that did not run.
    check_main "ecr: wharf with authentication on starts, root credentials written" ecr_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "ecr: anonymous, wrong-secret and unknown-key requests are refused" ecr_refuses_anonymous_and_bad_keys
    check "ecr: sts get-caller-identity as the root and as a user; a wrong secret is refused" ecr_sts_caller_identity
    check "ecr: the Terraform AWS provider starts without skip flags (STS) and learns the account" \
        ecr_terraform_without_skip_flags
    check "ecr: create-repository / describe-repositories" ecr_create_repository
    check_main "ecr: dockerd available" ensure_dockerd
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check_main "ecr: podman/buildah private storage ready" ecr_storage_ready
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "ecr: get-login-password -> skopeo, podman, docker login and push" ecr_login_and_push
    check "ecr: list-images / describe-images / batch-get-image agree with the push" ecr_list_describe_get
    check "ecr: put-image-tag-mutability IMMUTABLE refuses moving a tag" ecr_immutable_tags
    check "ecr: a repository policy denies a second user's pull, not the root's" ecr_policy_denies_second_user
    check "ecr: batch-delete-image, delete-repository --force" ecr_delete
    check "ecr: an expired registry token is refused" ecr_expired_token
    check "ecr: lifecycle preview -> wait -> put-lifecycle-policy -> the scheduled run expires exactly the previewed; gc frees their disk" \
        ecr_lifecycle
}
