# shellcheck shell=bash
# terraform: the Terraform AWS provider (hashicorp/aws from the /opt/tf-plugins mirror) applies a configuration
# using every aws_ecr_* resource it has against a Wharf with authentication on, without skip flags (it learns the
# account through STS): apply, a second plan that shows no changes (-detailed-exitcode 0), destroy, and nothing
# left behind. Also: create on push from a CREATE_ON_PUSH creation template (created with curl --aws-sigv4: the
# provider on this machine and Debian's aws CLI predate it), the push checked against the template; and the Secrets
# Manager subset with the aws CLI (pull-through credentials).

TF_AWS=/usr/bin/aws

tf_aws() {
    AWS_SHARED_CREDENTIALS_FILE=$TF_DATA/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$TF_AWS" --endpoint-url "http://$TR" "$@"
}
tf() {
    to env TF_CLI_CONFIG_FILE="$TF_DIR/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 \
        AWS_SHARED_CREDENTIALS_FILE="$TF_DATA/root-credentials" AWS_PROFILE=wharf AWS_CONFIG_FILE=/dev/null \
        /usr/local/bin/terraform -chdir="$TF_DIR" "$@"
}
# An ECR JSON 1.1 call signed by curl itself (SigV4, service ecr), as the root: OPERATION JSON
tf_ecr_call() {
    local id secret
    id=$(sed -n 's/^aws_access_key_id *= *//p' "$TF_DATA/root-credentials")
    secret=$(sed -n 's/^aws_secret_access_key *= *//p' "$TF_DATA/root-credentials")
    to curl -sS --fail-with-body --max-time 30 --aws-sigv4 "aws:amz:us-east-1:ecr" --user "$id:$secret" \
        -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.$1" \
        --data "$2" "http://$TR/"
}

terraform_start() {
    [ -x /usr/local/bin/terraform ] || { echo "terraform is not installed (/usr/local/bin/terraform)"; return 1; }
    [ -d /opt/tf-plugins ] || { echo "no Terraform provider mirror in /opt/tf-plugins"; return 1; }
    TF_DATA=$E2E_WORK/tf-data
    TF_DIR=$E2E_WORK/tf
    TR=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=true WHARF_REPOSITORIES_CREATE_ON_PUSH=false wharf_serve "$E2E_WORK/tf-registry.log" --listen "$TR" \
        --data "$TF_DATA" &
    TF_PID=$!
    register_pid "$TF_PID" "wharf with auth (terraform section)"
    wait_http "http://$TR/v2/" "$E2E_START_TIMEOUT" "401" "$TF_PID"
    [ -s "$TF_DATA/root-credentials" ] || { echo "no $TF_DATA/root-credentials"; return 1; }
    mkdir -p "$TF_DIR"
    printf 'provider_installation {\n  filesystem_mirror { path = "/opt/tf-plugins" }\n}\n' > "$TF_DIR/cli.tfrc"
    sed "s#@ENDPOINT@#http://$TR#g" "$E2E_DIR/fixtures/terraform/main.tf" > "$TF_DIR/main.tf"
    tf init -input=false -no-color
}

terraform_apply() {
    tf apply -auto-approve -input=false -no-color
    local out=$E2E_WORK/tf-check.json
    tf_aws ecr describe-repositories --repository-names tf/app > "$out"
    assert_eq "IMMUTABLE" "$(jq -r '.repositories[0].imageTagMutability' "$out")" "the repository's tag mutability"
    tf_aws ecr get-lifecycle-policy --repository-name tf/app > "$out"
    jq -e '.lifecyclePolicyText | fromjson | .rules[0].selection.countNumber == 5' "$out"
    tf_aws ecr get-registry-scanning-configuration > "$out"
    assert_eq "tf/*" "$(jq -r '.scanningConfiguration.rules[0].repositoryFilters[0].filter' "$out")" "scanning rule filter"
    tf_ecr_call DescribeRepositoryCreationTemplates '{"prefixes":["tf-cache"]}' > "$out"
    assert_eq "PULL_THROUGH_CACHE" "$(jq -r '.repositoryCreationTemplates[0].appliedFor[0]' "$out")" "the template's appliedFor"
    tf_ecr_call GetAccountSetting '{"name":"BASIC_SCAN_TYPE_VERSION"}' > "$out"
    assert_eq "AWS_NATIVE" "$(jq -r .value "$out")" "the account setting"
    tf_aws ecr describe-registry > "$out"
    assert_eq "111111111111" "$(jq -r '.replicationConfiguration.rules[0].destinations[0].registryId' "$out")" \
        "replication destination"
    tf_aws ecr describe-pull-through-cache-rules > "$out"
    assert_eq "tf-ecr-public" "$(jq -r '.pullThroughCacheRules[0].ecrRepositoryPrefix' "$out")" "pull-through cache rule"
}

# -detailed-exitcode: 0 no changes, 2 changes (a drift Wharf reports back differently from what was applied)
terraform_replan_clean() {
    local rc=0
    tf plan -detailed-exitcode -input=false -no-color || rc=$?
    assert_eq 0 "$rc" "terraform plan -detailed-exitcode after apply"
}

terraform_destroy() {
    tf destroy -auto-approve -input=false -no-color
    local out=$E2E_WORK/tf-after.json
    tf_aws ecr describe-repositories > "$out"
    assert_eq 0 "$(jq '.repositories | length' "$out")" "repositories left"
    tf_ecr_call DescribeRepositoryCreationTemplates '{}' > "$out"
    assert_eq 0 "$(jq '.repositoryCreationTemplates | length' "$out")" "creation templates left"
    assert_fails "the registry policy is gone" tf_aws ecr get-registry-policy
    tf_aws ecr describe-pull-through-cache-rules > "$out"
    assert_eq 0 "$(jq '.pullThroughCacheRules | length' "$out")" "pull-through cache rules left"
    tf_aws ecr describe-registry > "$out"
    assert_eq 0 "$(jq '.replicationConfiguration.rules | length' "$out")" "replication rules left"
}

# With repositories.create-on-push off, a push to a missing repository is refused unless a CREATE_ON_PUSH
# template covers the name; then the repository is created as the template says.
terraform_create_on_push() {
    local pw out=$E2E_WORK/tf-cop.json img=$E2E_IMAGES/tiny
    pw=$(tf_aws ecr get-login-password)
    assert_fails "push to a repository no template covers" to skopeo copy --dest-tls-verify=false \
        --dest-creds "AWS:$pw" "oci:$img:latest" "docker://$TR/loose/app:v1"
    tf_ecr_call CreateRepositoryCreationTemplate '{"prefix":"pushed","appliedFor":["CREATE_ON_PUSH"],
        "imageTagMutability":"IMMUTABLE","resourceTags":[{"Key":"origin","Value":"template"}]}' > "$out"
    to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" "oci:$img:latest" "docker://$TR/pushed/app:v1"
    tf_aws ecr describe-repositories --repository-names pushed/app > "$out"
    assert_eq "IMMUTABLE" "$(jq -r '.repositories[0].imageTagMutability' "$out")" "tag mutability from the template"
    tf_aws ecr list-tags-for-resource --resource-arn "$(jq -r '.repositories[0].repositoryArn' "$out")" > "$out"
    assert_eq "template" "$(jq -r '.tags[] | select(.Key == "origin") | .Value' "$out")" "resource tag from the template"
    tf_aws ecr delete-repository --repository-name pushed/app --force > /dev/null
    tf_ecr_call DeleteRepositoryCreationTemplate '{"prefix":"pushed"}' > /dev/null
}

# The Secrets Manager subset with Debian's aws CLI (what a pull-through rule's credentialArn names): the value goes in,
# never comes out, and `wharf secrets list` on the data directory shows the same secret.
terraform_secrets_manager() {
    local out=$E2E_WORK/tf-sm.json name=ecr-pullthroughcache/e2e arn
    tf_aws secretsmanager create-secret --name "$name" --description "e2e upstream" \
        --secret-string '{"username":"robot","accessToken":"tok-e2e-9c1d"}' > "$out"
    cat "$out"
    arn=$(jq -r .ARN "$out")
    assert_eq "arn:aws:secretsmanager:us-east-1:000000000000:secret:$name" "$arn" "the secret's ARN"
    tf_aws secretsmanager put-secret-value --secret-id "$arn" \
        --secret-string '{"username":"robot","accessToken":"tok-e2e-2"}' > "$out"
    tf_aws secretsmanager describe-secret --secret-id "$name" > "$out"
    assert_eq "e2e upstream" "$(jq -r .Description "$out")" "describe-secret"
    tf_aws secretsmanager list-secrets > "$out"
    assert_eq "$name" "$(jq -r '.SecretList[0].Name' "$out")" "list-secrets"
    if tf_aws secretsmanager get-secret-value --secret-id "$name" > "$out" 2>&1; then die "a secret value was returned"; fi
    assert_contains "$out" "InvalidRequestException" "get-secret-value is refused"
    if grep -r "tok-e2e" "$E2E_WORK"/tf-sm.json "$E2E_WORK/tf-registry.log"; then die "a secret value leaked"; fi
    to "$REPO/bin/wharf" secrets list --data "$TF_DATA" > "$out"
    assert_contains "$out" "^$name\b" "wharf secrets list shows it"
    tf_aws secretsmanager delete-secret --secret-id "$name" --force-delete-without-recovery > "$out"
    if tf_aws secretsmanager describe-secret --secret-id "$name" > "$out" 2>&1; then die "the secret is still there"; fi
    assert_contains "$out" "ResourceNotFoundException" "deleted"
}

TERRAFORM_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then TERRAFORM_CHECKS=6; fi
run_terraform() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "the terraform section needs Wharf itself (registry is $WHARF_E2E_REGISTRY): not applicable"
        return 0
    fi
    check_main "terraform: wharf (auth on, create-on-push off) starts; terraform init from the mirror" terraform_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "terraform: apply of every aws_ecr_* resource, read back with the aws CLI" terraform_apply
    check "terraform: a second plan shows no changes" terraform_replan_clean
    check "terraform: destroy leaves nothing behind" terraform_destroy
    check "terraform: a CREATE_ON_PUSH template lets a push create its repository as the template says" \
        terraform_create_on_push
    check "terraform: aws secretsmanager create/put/describe/list/delete; values never come back" \
        terraform_secrets_manager
}
