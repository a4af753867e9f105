# shellcheck shell=bash
# public: public repositories (docs/public-repositories.md) against a second Wharf with authentication on. The
# ECR Public subset through Debian's aws CLI v2 (create-repository with catalog data, describe-repositories,
# put/get-repository-catalog-data, get-login-password), a push with that password, then pulls with NO credentials
# by skopeo, podman and docker: served for the public repository, refused for a private one, the catalog and pushes;
# and, under the Bearer challenge that a public repository brings, buildah, podman, ctr and docker with credentials.

PUB_AWS=/usr/bin/aws
PUB_REPO=e2e/public-tiny
PRIV_REPO=e2e/private-tiny

aws_pub() {
    AWS_SHARED_CREDENTIALS_FILE=$PUB_DATA/root-credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1 \
        AWS_CONFIG_FILE=/dev/null AWS_PAGER="" to "$PUB_AWS" --endpoint-url "http://$PR" "$@"
}
# skopeo and podman without any credentials (never the suite's token)
pub_skopeo() { to skopeo "$1" --tls-verify=false --no-creds "${@:2}"; }
pub_podman() { REGISTRY_AUTH_FILE=$E2E_WORK/public-no-auth.json podman_ "$@" --tls-verify=false; }
# docker with its own empty client configuration: nothing stored for this registry
pub_docker() { DOCKER_CONFIG=$E2E_WORK/public-docker-config dk "$@"; }

public_start() {
    PUB_DATA=$E2E_WORK/public-data
    PR=127.0.0.1:$(free_port)
    WHARF_AUTH_ENABLED=true wharf_serve "$E2E_WORK/public-registry.log" --listen "$PR" --data "$PUB_DATA" &
    PUB_PID=$!
    register_pid "$PUB_PID" "wharf with auth (public section)"
    wait_http "http://$PR/v2/" "$E2E_START_TIMEOUT" "401" "$PUB_PID"
    mkdir -p "$E2E_WORK/public-docker-config"
    echo '{"auths":{}}' > "$E2E_WORK/public-no-auth.json"   # podman insists that its auth file exists
    choose_storage_driver
    [ -s "$PUB_DATA/root-credentials" ] || { echo "no $PUB_DATA/root-credentials"; return 1; }
}

public_aws_cli() {
    local out=$E2E_WORK/public-aws.json
    "$PUB_AWS" --version
    aws_pub ecr-public create-repository --repository-name "$PUB_REPO" \
        --catalog-data 'description=A tiny busybox,architectures=x86-64,operatingSystems=Linux' > "$out"
    cat "$out"
    assert_eq "$PR/$PUB_REPO" "$(jq -r .repository.repositoryUri "$out")" "repositoryUri points at this registry"
    assert_eq "arn:aws:ecr-public::$(jq -r .repository.registryId "$out"):repository/$PUB_REPO" \
        "$(jq -r .repository.repositoryArn "$out")" "an ecr-public ARN"
    aws_pub ecr create-repository --repository-name "$PRIV_REPO" > /dev/null
    aws_pub ecr-public describe-repositories > "$out"
    cat "$out"
    assert_eq "$PUB_REPO" "$(jq -r '[.repositories[].repositoryName] | join(",")' "$out")" \
        "describe-repositories lists the public repository only"
    assert_fails "the private repository is not found through ecr-public" \
        aws_pub ecr-public describe-repositories --repository-names "$PRIV_REPO"
    aws_pub ecr-public put-repository-catalog-data --repository-name "$PUB_REPO" --catalog-data \
        '{"description":"tiny busybox","aboutText":"# tiny","usageText":"docker pull it","architectures":["x86-64"],"operatingSystems":["Linux"]}' > /dev/null
    aws_pub ecr-public get-repository-catalog-data --repository-name "$PUB_REPO" > "$out"
    cat "$out"
    jq -e '.catalogData.description == "tiny busybox" and .catalogData.aboutText == "# tiny"
        and .catalogData.architectures == ["x86-64"]' "$out"
    aws_pub ecr-public get-authorization-token > "$out"
    jq -e '(.authorizationData.authorizationToken | length > 20) and (.authorizationData.expiresAt | length > 0)' "$out"
}

# the password from ecr-public get-login-password pushes to both repositories
public_push() {
    local pw
    pw=$(aws_pub ecr-public get-login-password)
    for repo in "$PUB_REPO" "$PRIV_REPO"; do
        to skopeo copy --dest-tls-verify=false --dest-creds "AWS:$pw" --preserve-digests \
            "oci:$E2E_IMAGES/tiny:latest" "docker://$PR/$repo:v1"
    done
    PUB_DIGEST=$(layout_digest "$E2E_IMAGES/tiny" latest)
}

public_skopeo_anonymous() {
    local got
    got=$(pub_skopeo inspect --raw "docker://$PR/$PUB_REPO:v1" | sha256sum | cut -d' ' -f1)
    assert_eq "$PUB_DIGEST" "sha256:$got" "skopeo reads the public manifest byte for byte, without credentials"
    rm -rf "$E2E_WORK/public-back"
    to skopeo copy --src-tls-verify=false --src-no-creds "docker://$PR/$PUB_REPO:v1" "oci:$E2E_WORK/public-back:v1"
    assert_layouts_identical "$E2E_IMAGES/tiny" latest "$E2E_WORK/public-back" v1
    pub_skopeo list-tags "docker://$PR/$PUB_REPO" | jq -e '.Tags == ["v1"]'
    assert_fails "skopeo reads a private repository anonymously" pub_skopeo inspect --raw "docker://$PR/$PRIV_REPO:v1"
    assert_fails "skopeo pushes to the public repository anonymously" to skopeo copy --dest-tls-verify=false \
        --dest-no-creds "oci:$E2E_IMAGES/tiny:latest" "docker://$PR/$PUB_REPO:anonymous"
}

public_podman_anonymous() {
    pub_podman pull "$PR/$PUB_REPO:v1"
    podman_ image inspect "$PR/$PUB_REPO:v1" --format '{{.Digest}}' | grep -Fx "$PUB_DIGEST"
    assert_fails "podman pulls a private repository anonymously" pub_podman pull "$PR/$PRIV_REPO:v1"
}

public_docker_anonymous() {
    local h=$E2E_WORK/public-ping
    curl -s -o /dev/null -D "$h" --max-time 10 "http://$PR/v2/"
    cat "$h"
    assert_contains "$h" "^[Ww][Ww][Ww]-[Aa]uthenticate: Bearer realm=\"http://$PR/v2/token\"" \
        "with a public repository, the ping challenges for Bearer (docker sends nothing after Basic without credentials)"
    pub_docker pull "$PR/$PUB_REPO:v1"
    pub_docker image inspect "$PR/$PUB_REPO:v1" --format '{{json .RepoDigests}}' | grep -F "$PUB_DIGEST"
    assert_fails "docker pulls a private repository anonymously" pub_docker pull "$PR/$PRIV_REPO:v1"
    assert_fails "docker pushes to the public repository anonymously" pub_docker push "$PR/$PUB_REPO:v1"
}

# While the account has a public repository the ping challenges for Bearer, so every client that logs in goes
# through /v2/token: buildah, podman and containerd's ctr pull the private repository with the password and push to
# it; docker logs in, pulls and pushes. (skopeo already pushed with credentials in public_push.)
public_clients_with_credentials() {
    local pw cfg=$E2E_WORK/public-docker-login got
    pw=$(aws_pub ecr-public get-login-password)
    curl -s -D - -o /dev/null --max-time 10 "http://$PR/v2/" | grep -i '^www-authenticate: Bearer'
    buildah_ pull --tls-verify=false --creds "AWS:$pw" "docker://$PR/$PRIV_REPO:v1"
    buildah_ push --tls-verify=false --creds "AWS:$pw" "$PR/$PRIV_REPO:v1" "docker://$PR/$PRIV_REPO:buildah"
    pub_podman pull --creds "AWS:$pw" "$PR/$PRIV_REPO:v1"
    pub_podman push --creds "AWS:$pw" "$PR/$PRIV_REPO:v1" "$PR/$PRIV_REPO:podman"
    ctr_ images pull --plain-http --user "AWS:$pw" "$PR/$PRIV_REPO:v1"
    ctr_ images tag --force "$PR/$PRIV_REPO:v1" "$PR/$PRIV_REPO:ctr"
    ctr_ images push --plain-http --user "AWS:$pw" "$PR/$PRIV_REPO:ctr"
    mkdir -p "$cfg"
    printf '%s' "$pw" | DOCKER_CONFIG=$cfg dk login -u AWS --password-stdin "$PR"
    DOCKER_CONFIG=$cfg dk pull "$PR/$PRIV_REPO:v1"
    DOCKER_CONFIG=$cfg dk tag "$PR/$PRIV_REPO:v1" "$PR/$PRIV_REPO:docker"
    DOCKER_CONFIG=$cfg dk push "$PR/$PRIV_REPO:docker"
    for t in buildah podman ctr docker; do
        got=$(to skopeo inspect --tls-verify=false --creds "AWS:$pw" --raw "docker://$PR/$PRIV_REPO:$t" | jq -r .config.digest)
        assert_eq "$(to skopeo inspect --tls-verify=false --creds "AWS:$pw" --raw "docker://$PR/$PRIV_REPO:v1" | jq -r .config.digest)" \
            "$got" "the image $t pushed has the pulled image's config"
    done
}

public_closed_again() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$PR/v2/_catalog")
    assert_eq 401 "$code" "the catalog is not public"
    aws_pub ecr-public delete-repository --repository-name "$PUB_REPO" --force > /dev/null
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$PR/v2/$PUB_REPO/manifests/v1")
    assert_eq 401 "$code" "a deleted public repository answers as any missing one"
    curl -s -D - -o /dev/null --max-time 10 "http://$PR/v2/" | grep -i '^www-authenticate: Basic'
}

PUBLIC_CHECKS=0
if [ "$WHARF_E2E_REGISTRY" = wharf ]; then PUBLIC_CHECKS=9; fi
run_public() {
    if [ "$WHARF_E2E_REGISTRY" != wharf ]; then
        note "the public section needs Wharf itself (registry is $WHARF_E2E_REGISTRY): not applicable"
        return 0
    fi
    check_main "public: wharf with authentication on starts" public_start
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "public: aws ecr-public create/describe/put+get catalog data/get-authorization-token" public_aws_cli
    check_main "public: ecr-public get-login-password pushes a public and a private repository" public_push
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "public: skopeo pulls the public repository without credentials, not the private one" public_skopeo_anonymous
    check "public: podman pulls the public repository without credentials, not the private one" public_podman_anonymous
    check_main "public: dockerd available" ensure_dockerd
    [ "$E2E_MAIN_RC" -eq 0 ] || return 0
    check "public: docker pulls the public repository without credentials, not the private one" public_docker_anonymous
    check "public: under the Bearer challenge, buildah, podman, ctr and docker log in, pull and push" \
        public_clients_with_credentials
    check "public: the catalog stays closed; a deleted public repository is gone for anonymous callers" public_closed_again
}
